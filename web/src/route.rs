//! Hash routes, so that the app works from any path and from the service worker's cached
//! index.html: `#/`, `#/inspection/<id>/<section>`, `#/report/<id>`, `#/ledger`, `#/keys`,
//! `#/verify`, `#/settings`, `#/checklists`.

/// A screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Profile, projects and inspections.
    Home,
    /// One inspection at one section (0-based).
    Inspection(String, usize),
    /// Signatures and the PDF report of one inspection.
    Report(String),
    /// The hazard ledger.
    Ledger,
    /// Signing keys and certificates.
    Keys,
    /// The regulator's page: verify received reports.
    Verify,
    /// Settings, backup and restore.
    Settings,
    /// The checklists, built-in and imported; importing one from a spreadsheet.
    Checklists,
}

impl Route {
    /// Parses `location.hash`.
    pub fn parse(hash: &str) -> Route {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let mut parts = path.split('/');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("inspection"), Some(id), section) if !id.is_empty() => Route::Inspection(
                id.to_owned(),
                section.and_then(|s| s.parse().ok()).unwrap_or(0),
            ),
            (Some("report"), Some(id), _) if !id.is_empty() => Route::Report(id.to_owned()),
            (Some("ledger"), _, _) => Route::Ledger,
            (Some("keys"), _, _) => Route::Keys,
            (Some("verify"), _, _) => Route::Verify,
            (Some("settings"), _, _) => Route::Settings,
            (Some("checklists"), _, _) => Route::Checklists,
            _ => Route::Home,
        }
    }

    /// The `href` of the route.
    pub fn href(&self) -> String {
        match self {
            Route::Home => "#/".to_owned(),
            Route::Inspection(id, 0) => format!("#/inspection/{id}"),
            Route::Inspection(id, section) => format!("#/inspection/{id}/{section}"),
            Route::Report(id) => format!("#/report/{id}"),
            Route::Ledger => "#/ledger".to_owned(),
            Route::Keys => "#/keys".to_owned(),
            Route::Verify => "#/verify".to_owned(),
            Route::Settings => "#/settings".to_owned(),
            Route::Checklists => "#/checklists".to_owned(),
        }
    }
}

/// Goes to `route`.
pub fn go(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.href());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(hash: &str, expected: Route) {
        assert_eq!(Route::parse(hash), expected);
        assert_eq!(Route::parse(&expected.href()), expected);
    }

    #[test]
    fn routes() {
        check("", Route::Home);
        check("#/", Route::Home);
        check("#/ledger", Route::Ledger);
        check("#/settings", Route::Settings);
        check("#/inspection/I-1", Route::Inspection("I-1".into(), 0));
        check("#/inspection/I-1/7", Route::Inspection("I-1".into(), 7));
        check("#/inspection/I-1/x", Route::Inspection("I-1".into(), 0));
        check("#/report/I-1", Route::Report("I-1".into()));
        check("#/report/", Route::Home);
        check("#/keys", Route::Keys);
        check("#/verify", Route::Verify);
        check("#/checklists", Route::Checklists);
        check("#/nowhere", Route::Home);
    }
}
