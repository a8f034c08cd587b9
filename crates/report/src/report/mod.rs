//! The report's parts in reading order: cover, summary (with the charts), item tables, hazard
//! ledger, notes, signature page; then the header and footer on every page.

mod cover;
mod forms;
mod items;
mod ledger;
pub(crate) mod signature;
mod summary;

use std::collections::BTreeMap;

use zicha_core::bundle::Bundle;
use zicha_core::checklist::{Checklist, Sector};
use zicha_core::hash::Sha256;
use zicha_core::inspection::date_format;
use zicha_core::score::{self, ScoreReport};

use crate::canvas::{BOTTOM, Canvas, Draw, GREY, LEFT, LIGHT, RIGHT, RULE, line_height};
use crate::pdf::{self, Attachment, Meta};
use crate::photo::{self, Prepared};
use crate::{ImageSource, Options, Result, Warning, Written};

/// Longest note shown in an item table cell; longer notes go to the notes section (附注) in full.
pub(crate) const CELL_NOTE_CHARS: usize = 90;

/// Everything the parts share while laying out.
pub(crate) struct Report<'a> {
    pub(crate) canvas: Canvas<'a>,
    pub(crate) bundle: &'a Bundle,
    pub(crate) checklist: &'a Checklist,
    pub(crate) score: ScoreReport,
    pub(crate) options: &'a Options<'a>,
    pub(crate) warnings: Vec<Warning>,
    /// Photo hash → image number (None: unusable, a placeholder is drawn).
    photos: BTreeMap<Sha256, Option<usize>>,
    /// Notes too long for a cell: (label, text), printed in 附注.
    pub(crate) notes: Vec<(String, String)>,
    /// The images as a report stored them, when re-rendering it for a proof.
    pub(crate) given: Option<&'a Given>,
    /// What each of `canvas.images` shows, for the proof record.
    sources: Vec<ImageSource>,
}

/// The images of a report as it stores them, handed to a re-render in place of the photos and
/// handwritten signatures (the originals of downscaled photos and of signatures are not in the
/// report).
#[derive(Debug, Default)]
pub(crate) struct Given {
    /// By the photo's hash.
    pub(crate) photos: BTreeMap<Sha256, Prepared<'static>>,
    /// By role (in Chinese) and name.
    pub(crate) handwritten: Vec<(String, String, Prepared<'static>)>,
}

impl<'a> Report<'a> {
    /// The image number of a photo, preparing it on first use; `None` with a warning when it is
    /// missing or unusable.
    pub(crate) fn photo(&mut self, sha256: &Sha256) -> Option<usize> {
        if let Some(known) = self.photos.get(sha256) {
            return *known;
        }
        let stored = self
            .given
            .map(|given| given.photos.get(sha256).map(Prepared::borrowed));
        let prepared = match stored {
            Some(Some(prepared)) => Some(prepared),
            Some(None) => {
                self.warnings
                    .push(Warning::PhotoMissing { sha256: *sha256 });
                None
            }
            None => self.prepare_photo(sha256),
        };
        let number = prepared
            .map(|prepared| self.add_image(prepared, ImageSource::Photo { sha256: *sha256 }));
        self.photos.insert(*sha256, number);
        if let Some(progress) = self.options.progress {
            (progress.0)(crate::Progress::Photos {
                done: self.photos.len(),
                total: self.bundle.photos.len(),
            });
        }
        number
    }

    /// Adds an image to the document; its number.
    pub(crate) fn add_image(&mut self, prepared: Prepared<'a>, source: ImageSource) -> usize {
        self.canvas.images.push(prepared);
        self.sources.push(source);
        self.canvas.images.len() - 1
    }

    /// The bundle's photo, prepared; `None` with a warning when it is missing or unusable.
    fn prepare_photo(&mut self, sha256: &Sha256) -> Option<Prepared<'a>> {
        let bundle: &'a Bundle = self.bundle;
        match bundle.photos.get(sha256) {
            None => {
                self.warnings
                    .push(Warning::PhotoMissing { sha256: *sha256 });
                None
            }
            Some(bytes) => match photo::prepare(bytes, self.options.max_photo_px) {
                Ok(prepared) => Some(prepared),
                Err(reason) => {
                    self.warnings.push(Warning::PhotoUnreadable {
                        sha256: *sha256,
                        reason,
                    });
                    None
                }
            },
        }
    }

    /// Tells the caller how many pages are laid out.
    fn pages_done(&self) {
        if let Some(progress) = self.options.progress {
            (progress.0)(crate::Progress::Pages {
                pages: self.canvas.pages.len(),
            });
        }
    }

    /// A note for a table cell: short notes as they are, long ones cut with a pointer to 附注.
    pub(crate) fn cell_note(&mut self, label: &str, note: &str, limit: usize) -> String {
        let note = note.trim();
        if note.chars().count() <= limit {
            return note.to_owned();
        }
        self.notes.push((label.to_owned(), note.to_owned()));
        let head: String = note
            .chars()
            .take(limit.saturating_sub(20).max(10))
            .collect();
        format!("{head}…（全文见附注{}）", self.notes.len())
    }

    /// A row of photos with captions, at most three across, each fitted into its box.
    pub(crate) fn photo_row(&mut self, photos: &[(Sha256, String)]) {
        const GAP: f32 = 4.0;
        const PER_ROW: usize = 3;
        const BOX_H: f32 = 42.0;
        let box_w = (RIGHT - LEFT - GAP * (PER_ROW as f32 - 1.0)) / PER_ROW as f32;
        let caption = crate::canvas::SMALL;
        let caption_h = line_height(caption);
        for chunk in photos.chunks(PER_ROW) {
            self.canvas.ensure(BOX_H + caption_h + 2.0);
            let top = self.canvas.y;
            for (idx, (sha256, label)) in chunk.iter().enumerate() {
                let x = LEFT + idx as f32 * (box_w + GAP);
                match self.photo(sha256) {
                    Some(image) => {
                        let (pw, ph) = self.canvas.images[image].display_size();
                        let scale = (box_w / pw as f32).min(BOX_H / ph as f32);
                        let (w, h) = (pw as f32 * scale, ph as f32 * scale);
                        let ix = x + (box_w - w) / 2.0;
                        let iy = top + (BOX_H - h) / 2.0;
                        self.canvas.draw(Draw::Image {
                            image,
                            x: ix,
                            y: iy,
                            w,
                            h,
                        });
                        self.canvas.stroke_rect(ix, iy, w, h, 0.3, RULE);
                    }
                    None => {
                        self.canvas.fill_rect(x, top, box_w, BOX_H, LIGHT);
                        self.canvas.text_aligned(
                            x,
                            box_w,
                            top + BOX_H / 2.0 - 2.0,
                            caption,
                            "照片缺失或无法读取",
                            crate::canvas::Align::Center,
                            GREY,
                            false,
                        );
                    }
                }
                let text = format!("{label} · {}", sha256.short(8));
                self.canvas.text_aligned(
                    x,
                    box_w,
                    top + BOX_H + 0.5,
                    caption,
                    &text,
                    crate::canvas::Align::Center,
                    GREY,
                    false,
                );
            }
            self.canvas.y = top + BOX_H + caption_h + 2.0;
        }
    }
}

/// The report's title for the checklist's sector.
pub(crate) fn title(sector: Sector) -> String {
    match sector {
        Sector::Generic => "企业安全生产隐患自查报告".to_owned(),
        Sector::School => "校园安全隐患自查报告".to_owned(),
        Sector::FireSafety => "消防安全隐患自查报告".to_owned(),
        Sector::Construction => "建筑施工安全生产隐患自查报告".to_owned(),
        // Places and works rather than enterprises of a trade: no 企业 in the title.
        Sector::ElderlyCare
        | Sector::Medical
        | Sector::Tourism
        | Sector::HighwayWaterway
        | Sector::WaterConservancy => format!("{}安全隐患自查报告", sector.zh()),
        other => format!("{}企业安全生产隐患自查报告", other.zh()),
    }
}

/// A number as the report prints it: at most two decimals, no trailing zeros.
pub(crate) fn num(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

pub(crate) fn date(value: time::Date) -> String {
    date_format::format(value)
}

/// China Standard Time, the one zone every time in the report is printed in (UTC+8, no daylight
/// saving).
const BEIJING: time::UtcOffset = match time::UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("UTC+8 is a valid offset"),
};

/// A moment as `YYYY-MM-DD HH:MM` in China Standard Time, whatever offset it was recorded with.
pub(crate) fn date_time(value: time::OffsetDateTime) -> String {
    let value = value.to_offset(BEIJING);
    format!(
        "{} {:02}:{:02}",
        date(value.date()),
        value.hour(),
        value.minute()
    )
}

/// [`date_time`] with its zone named, e.g. "2026-03-02 18:00（北京时间）".
pub(crate) fn date_time_labelled(value: time::OffsetDateTime) -> String {
    format!("{}（北京时间）", date_time(value))
}

/// The first `n` characters of `text`, with "…" when cut.
pub(crate) fn short(text: &str, n: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= n {
        text.to_owned()
    } else {
        let mut head: String = text.chars().take(n).collect();
        head.push('…');
        head
    }
}

/// What a verifier needs to render the report again (see [`crate::ProofRecord`]).
fn proof_record(report: &Report<'_>) -> crate::ProofRecord {
    let options = report.options;
    let fonts = options.fonts;
    let mut first_page = vec![0; report.canvas.images.len()];
    for (page_idx, page) in report.canvas.pages.iter().enumerate().rev() {
        for draw in &page.draws {
            if let Draw::Image { image, .. } = draw
                && let Some(first) = first_page.get_mut(*image)
            {
                *first = page_idx + 1;
            }
        }
    }
    let images = report
        .canvas
        .images
        .iter()
        .zip(&report.sources)
        .enumerate()
        .map(|(idx, (prepared, source))| crate::ImageRecord {
            resource: format!("Im{}", idx + 1),
            page: first_page[idx],
            source: source.clone(),
            stored_sha256: prepared
                .sha256
                .unwrap_or_else(|| Sha256::of(&prepared.data)),
            passthrough: prepared.passthrough,
            width: prepared.width,
            height: prepared.height,
            components: prepared.components,
            inverted_cmyk: prepared.inverted_cmyk,
            flate: prepared.filter == photo::Filter::Flate,
            orientation: prepared.orientation,
        })
        .collect();
    crate::ProofRecord {
        layout: options.layout,
        timestamp: options.timestamp,
        max_photo_px: options.max_photo_px,
        font: fonts.main.record(),
        fallback_font: fonts.fallback.as_ref().map(|face| face.record()),
        images,
    }
}

fn notes_section(report: &mut Report<'_>) {
    let inspection_notes = report.bundle.data.inspection.notes.trim().to_owned();
    if report.notes.is_empty() && inspection_notes.is_empty() {
        return;
    }
    report.canvas.heading("附注", 20.0);
    if !inspection_notes.is_empty() {
        report.canvas.subheading("检查总体说明", 10.0);
        report.canvas.paragraph(
            0.0,
            crate::canvas::BODY,
            &inspection_notes,
            crate::canvas::BLACK,
        );
    }
    let notes = std::mem::take(&mut report.notes);
    for (idx, (label, text)) in notes.iter().enumerate() {
        report
            .canvas
            .subheading(&format!("附注{}  {label}", idx + 1), 10.0);
        report
            .canvas
            .paragraph(0.0, crate::canvas::BODY, text, crate::canvas::BLACK);
    }
}

fn header_footer(report: &mut Report<'_>) {
    let total = report.canvas.pages.len();
    let organisation = report.bundle.data.organisation.name.clone();
    let id = format!("报告编号 {}", report.options.document_id);
    let size = 8.0;
    for idx in 0..total {
        let mut page = crate::canvas::Page::default();
        std::mem::swap(&mut page, &mut report.canvas.pages[idx]);
        // Draw onto a scratch canvas page so that the text log stays in reading order.
        let mut scratch = Canvas::new(report.canvas.fonts);
        scratch.pages.push(crate::canvas::Page::default());
        let header_top = 11.0;
        let name = short(&organisation, 40);
        scratch.text_at(LEFT, header_top, size, &name, GREY);
        scratch.text_aligned(
            LEFT,
            RIGHT - LEFT,
            header_top,
            size,
            &id,
            crate::canvas::Align::Right,
            GREY,
            false,
        );
        scratch.line(LEFT, 16.5, RIGHT, 16.5, 0.5, RULE);
        scratch.line(LEFT, BOTTOM + 5.0, RIGHT, BOTTOM + 5.0, 0.5, RULE);
        let footer = format!("第 {} 页 共 {total} 页", idx + 1);
        scratch.text_aligned(
            LEFT,
            RIGHT - LEFT,
            BOTTOM + 6.5,
            9.0,
            &footer,
            crate::canvas::Align::Center,
            GREY,
            false,
        );
        let missing = std::mem::take(&mut scratch.missing);
        report.canvas.missing.extend(missing);
        let mut decorations = scratch.pages.pop().expect("one page");
        let mut text = std::mem::take(&mut decorations.text);
        let footer_line = text.pop().expect("the footer");
        text.append(&mut page.text);
        text.push(footer_line);
        page.text = text;
        decorations.draws.append(&mut page.draws);
        page.draws = decorations.draws;
        std::mem::swap(&mut page, &mut report.canvas.pages[idx]);
    }
}

/// Renders the report into `out`; with `given`, the images are taken from there, and streams the
/// `deflater` knows are not compressed again (a re-render for a proof).
pub(crate) fn render(
    bundle: &Bundle,
    checklist: &Checklist,
    options: &Options<'_>,
    given: Option<&Given>,
    deflater: &pdf::Deflater,
    out: &mut dyn std::io::Write,
) -> Result<Written> {
    let data = &bundle.data;
    let score = score::score_with(
        checklist,
        &data.inspection,
        &data.hazards,
        data.major_sources(),
        options.as_of,
    );
    let mut report = Report {
        canvas: Canvas::new(options.fonts),
        bundle,
        checklist,
        score,
        options,
        warnings: Vec::new(),
        photos: BTreeMap::new(),
        notes: Vec::new(),
        given,
        sources: Vec::new(),
    };
    cover::cover(&mut report);
    summary::summary(&mut report);
    report.pages_done();
    items::items(&mut report);
    report.pages_done();
    ledger::ledger(&mut report);
    report.pages_done();
    notes_section(&mut report);
    let slots = signature::signature_page(&mut report);
    report.pages_done();
    header_footer(&mut report);

    let mut warnings = std::mem::take(&mut report.warnings);
    if !report.canvas.missing.is_empty() {
        warnings.insert(
            0,
            Warning::MissingGlyphs {
                chars: report.canvas.missing.iter().copied().collect(),
            },
        );
    }

    // inspection.json exactly as the bundle writes it, so that the extracted file equals the
    // bundle's entry byte for byte; the checklist text when the bundle carries it.
    let json = data
        .to_json()
        .map_err(|error| crate::Error::Pdf(error.to_string()))?;
    let mut attachments = vec![Attachment {
        name: "inspection.json".to_owned(),
        mime: "application/json",
        description: format!(
            "检查数据 inspection data: {} {} ({}), photos by SHA-256",
            checklist.id, checklist.version, checklist.hash
        ),
        relationship: "Data",
        bytes: json.clone(),
    }];
    if let Some(source) = &bundle.checklist_source {
        attachments.push(Attachment {
            name: "checklist.toml".to_owned(),
            mime: "application/toml",
            description: format!(
                "检查表 checklist {} {}, SHA-256 {}",
                checklist.id, checklist.version, checklist.hash
            ),
            relationship: "Source",
            bytes: source.as_bytes().to_vec(),
        });
    }
    // What the report prints and where each party signs, for verifiers and signing tools.
    let proof = proof_record(&report);
    let summary = crate::ReportSummary {
        format: crate::SUMMARY_FORMAT,
        document_id: options.document_id.clone(),
        as_of: options.as_of,
        score: report.score.clone(),
        signature_slots: slots
            .iter()
            .map(|slot| crate::SlotSummary {
                role: slot.signer.role.zh().to_owned(),
                name: slot.signer.name.clone(),
                page: slot.page + 1,
                rect: slot.rect,
            })
            .collect(),
        proof: Some(proof),
    };
    attachments.push(Attachment {
        name: crate::SUMMARY_FILE.to_owned(),
        mime: "application/json",
        description: "报告汇总 the report's summary: score as of a day, signature places"
            .to_owned(),
        relationship: "Supplement",
        bytes: serde_json::to_vec_pretty(&summary)
            .map_err(|error| crate::Error::Pdf(format!("cannot write summary.json: {error}")))?,
    });
    let mut seed = json;
    seed.extend(options.document_id.as_bytes());
    seed.extend(options.timestamp.unix_timestamp().to_be_bytes());
    let meta = Meta {
        title: format!("{} · {}", title(checklist.sector), data.organisation.name),
        author: data.organisation.name.clone(),
        subject: format!(
            "{} {} · {}",
            checklist.title_zh,
            checklist.version,
            date(data.inspection.date)
        ),
        keywords: vec![
            "zicha".to_owned(),
            checklist.sector.key().to_owned(),
            data.organisation.credit_code.clone(),
            options.document_id.clone(),
        ],
        created: options.timestamp,
        document_id: options.document_id.clone(),
        fingerprint: Sha256::of(&seed),
        signature_slots: slots
            .iter()
            .map(|slot| {
                format!(
                    "{}|{}|{}|{:.1} {:.1} {:.1} {:.1}",
                    slot.signer.role.zh(),
                    slot.signer.name,
                    slot.page + 1,
                    slot.rect[0],
                    slot.rect[1],
                    slot.rect[2],
                    slot.rect[3]
                )
            })
            .collect(),
    };
    let (stats, length) = pdf::write(&report.canvas, &meta, &attachments, deflater, out)?;
    let page_text = report
        .canvas
        .pages
        .iter()
        .map(|page| page.text.clone())
        .collect();
    Ok(Written {
        length,
        warnings,
        signature_slots: slots,
        page_text,
        stats,
    })
}
