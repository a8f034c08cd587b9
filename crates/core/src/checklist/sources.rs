//! Where a checklist's items were read: the source links written in the comments of a checklist
//! file, ranked as shared/domain/PROVENANCE.md ranks them. The lint rejects a verified item without
//! a source link above it and any link to a denied site; `zicha lint --sources` lists the links that
//! are not official, so that they can be replaced by the issuing authority's page.

/// How far a source can be trusted, best first (PROVENANCE.md, "Sources, best first").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SourceRank {
    /// A government site (`*.gov.cn`): the issuing authority or a government repost.
    Official,
    /// A newspaper of record that reprints the full text (法治日报, 人民日报, 新华网, 中国建设报, …).
    Press,
    /// Any other site: usable to read a full text, cited as a repost, listed by `zicha lint --sources`.
    Repost,
    /// Never a source: gambling, lottery and card-game sites and exam-cram sites.
    Denied,
}

impl SourceRank {
    /// The rank as `zicha lint --sources` prints it.
    pub fn label(self) -> &'static str {
        match self {
            SourceRank::Official => "official",
            SourceRank::Press => "press",
            SourceRank::Repost => "repost",
            SourceRank::Denied => "denied",
        }
    }
}

/// Newspapers of record whose sites reprint standards and regulations in full.
const PRESS_HOSTS: &[&str] = &[
    "legaldaily.com.cn",
    "people.com.cn",
    "xinhuanet.com",
    "news.cn",
    "chinajsb.cn",
    "cemnews.com",
];

/// Sites that must never be cited, found among earlier sources: gambling, lottery and card-game
/// sites, spam mirrors, and exam-cram sites (question banks summarise a standard; they are not its
/// text).
const DENIED_HOSTS: &[&str] = &[
    // Gambling, lottery and card-game sites.
    "555qipai.net",
    "918178.cn",
    "shilihuiyuan.cn",
    "66baike.cn",
    "bjldc22.com",
    "bhtdzm.com",
    "ascsdubai.com",
    // Seen among search results in the content review of 2026-12-06 (a gambling site).
    "dukashe.com",
    // Pornography and spam mirrors that copy a standard's text under their own header (seen by
    // the content review of 2026-12-05).
    "6665253.com",
    "8x8x1948.com",
    "thz918.com",
    "ysfeather.com",
    "bapduoduo.com",
    "by1723.com",
    "czlst.com.cn",
    "7xidy.com",
    "sgp999.com",
    "cdytms.cn",
    // Exam-cram sites.
    "233.com",
    "jikaoti.com",
];

/// Words in a host name that mark a gambling or lottery site (pinyin and English).
const DENIED_WORDS: &[&str] = &["qipai", "caipiao", "bocai", "casino", "lottery", "betting"];

/// Whether `host` is `domain` or one of its subdomains.
fn is_within(host: &str, domain: &str) -> bool {
    host == domain
        || host
            .strip_suffix(domain)
            .is_some_and(|prefix| prefix.ends_with('.'))
}

/// The rank of a site by its host name (lower case, without port).
pub fn rank_host(host: &str) -> SourceRank {
    let host = host.to_ascii_lowercase();
    if DENIED_HOSTS.iter().any(|domain| is_within(&host, domain))
        || DENIED_WORDS.iter().any(|word| host.contains(word))
    {
        SourceRank::Denied
    } else if is_within(&host, "gov.cn") {
        SourceRank::Official
    } else if PRESS_HOSTS.iter().any(|domain| is_within(&host, domain)) {
        SourceRank::Press
    } else {
        SourceRank::Repost
    }
}

/// A link found in a comment of a checklist file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    /// Byte offset of the link in the file.
    pub offset: usize,
    /// The link as written.
    pub url: String,
    /// Its host name, lower case.
    pub host: String,
    /// The host's rank.
    pub rank: SourceRank,
}

/// Every `http://` or `https://` link in the comment lines of a checklist file, in file order.
pub fn links(source: &str) -> Vec<SourceLink> {
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        if let Some(hash) = comment_start(line) {
            let comment = &line[hash..];
            let mut from = 0;
            while let Some(at) = find_scheme(&comment[from..]) {
                let start = from + at;
                let end = comment[start..]
                    .find(|c: char| c.is_whitespace() || "()（）<>\"'，。；、".contains(c))
                    .map_or(comment.len(), |len| start + len);
                let url = comment[start..end].trim_end_matches(['.', ',', ';']);
                let host = url
                    .split_once("://")
                    .map_or("", |(_, rest)| rest)
                    .split(['/', '?', '#'])
                    .next()
                    .unwrap_or_default()
                    .rsplit('@')
                    .next()
                    .unwrap_or_default()
                    .split(':')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                if !host.is_empty() {
                    found.push(SourceLink {
                        offset: line_start + hash + start,
                        url: url.to_owned(),
                        rank: rank_host(&host),
                        host,
                    });
                }
                from = end.max(start + 1);
            }
        }
        line_start += line.len();
    }
    found
}

/// Where a comment begins on a line: checklist files keep comments on lines of their own.
fn comment_start(line: &str) -> Option<usize> {
    let trimmed = line.trim_start();
    trimmed.starts_with('#').then(|| line.len() - trimmed.len())
}

fn find_scheme(text: &str) -> Option<usize> {
    match (text.find("http://"), text.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The comment lines directly above the table header that precedes `offset` (the `[[…]]` line of
/// the item whose key sits at `offset`), as one text; empty when there is none.
pub(crate) fn comments_above_table(source: &str, offset: usize) -> &str {
    let before = &source[..offset.min(source.len())];
    let Some(header) = before.rfind("[[") else {
        return "";
    };
    let header_line = before[..header].rfind('\n').map_or(0, |at| at + 1);
    let mut start = header_line;
    for line in before[..header_line].split_inclusive('\n').rev() {
        if comment_start(line).is_none() {
            break;
        }
        start -= line.len();
    }
    &source[start..header_line]
}

/// The source links written above each item of a checklist file: `(item id, links)` in file order,
/// for every item (an empty list where there is none).
pub fn item_links(source: &str) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    let mut offset = 0;
    let mut pending_header: Option<usize> = None;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed == "[[sections.items]]" {
            pending_header = Some(offset);
        } else if let Some(header) = pending_header
            && let Some(value) = trimmed.strip_prefix("id")
            && let Some(value) = value.trim_start().strip_prefix('=')
        {
            let id = value.trim().trim_matches('"').to_owned();
            let above = comments_above_table(source, header + 2);
            found.push((id, links(above).into_iter().map(|link| link.url).collect()));
            pending_header = None;
        } else if trimmed.starts_with('[') {
            pending_header = None;
        }
        offset += line.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_are_ranked_by_domain_not_by_substring() {
        assert_eq!(rank_host("www.mem.gov.cn"), SourceRank::Official);
        assert_eq!(rank_host("gov.cn"), SourceRank::Official);
        assert_eq!(rank_host("xxgk.MOT.gov.cn"), SourceRank::Official);
        // A look-alike that merely ends in the letters "gov.cn" is not a government site.
        assert_eq!(rank_host("notgov.cn"), SourceRank::Repost);
        assert_eq!(rank_host("www.legaldaily.com.cn"), SourceRank::Press);
        assert_eq!(rank_host("m.jianbiaoku.com"), SourceRank::Repost);
        assert_eq!(rank_host("m.918178.cn"), SourceRank::Denied);
        assert_eq!(rank_host("www.233.com"), SourceRank::Denied);
        assert_eq!(rank_host("m.dukashe.com"), SourceRank::Denied);
        assert_eq!(rank_host("1233.com"), SourceRank::Repost);
        assert_eq!(rank_host("best-qipai-online.com"), SourceRank::Denied);
    }

    #[test]
    fn links_are_found_in_comments_only_with_their_offsets() {
        let source = "# 核对来源: http://www.mem.gov.cn/gk/a.shtml（原文）\nclause = \"http://x.com\"\n  # 另见 https://m.918178.cn/p?id=1, 转载\n";
        let found = links(source);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].url, "http://www.mem.gov.cn/gk/a.shtml");
        assert_eq!(found[0].host, "www.mem.gov.cn");
        assert_eq!(found[0].rank, SourceRank::Official);
        assert_eq!(&source[found[0].offset..found[0].offset + 7], "http://");
        assert_eq!(found[1].url, "https://m.918178.cn/p?id=1");
        assert_eq!(found[1].rank, SourceRank::Denied);
    }

    #[test]
    fn item_links_pair_each_item_with_the_links_above_it() {
        let source = "# 核对来源: http://a.gov.cn/x\n[[sections.items]]\nid = \"a\"\n\n[[sections.items]]\nid = \"b\"\n# 另见 https://c.com/y\n[[sections.items]]\nid = \"c\"\n";
        assert_eq!(
            item_links(source),
            [
                ("a".to_owned(), vec!["http://a.gov.cn/x".to_owned()]),
                ("b".to_owned(), vec![]),
                ("c".to_owned(), vec!["https://c.com/y".to_owned()]),
            ]
        );
    }

    #[test]
    fn the_comments_above_an_items_table_are_its_own() {
        let source = "[[sections.items]]\nid = \"a\"\n\n# 核对来源: http://a.gov.cn/x\n# 另见: b\n[[sections.items]]\nid = \"b\"\n";
        let b = source.find("\"b\"").unwrap();
        assert_eq!(
            comments_above_table(source, b),
            "# 核对来源: http://a.gov.cn/x\n# 另见: b\n"
        );
        let a = source.find("\"a\"").unwrap();
        assert_eq!(comments_above_table(source, a), "");
    }
}
