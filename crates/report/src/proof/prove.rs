//! [`prove`]: the report rendered again from what it carries and compared with the signed file
//! (the crate's `render` feature; see the parent module).

use zicha_core::bundle::Bundle;
use zicha_core::hash::Sha256;
use zicha_sign::{Finding, PageView, PdfView, VerificationReport};

use super::{Embedded, Proof, ProofStatus, finding};
use crate::pdf::Deflater;
use crate::photo::{self, Filter, Prepared};
use crate::report::Given;
use crate::{Fonts, ImageRecord, ImageSource, Options, ProofRecord};

/// Proves that the pages of the signed report `pdf` (verified as `report`) are exactly what Zicha
/// renders from `embedded`, with `fonts` (the verifier's: the font Zicha ships). Never fails.
pub fn prove(
    pdf: &[u8],
    report: &VerificationReport,
    embedded: Embedded<'_>,
    fonts: Option<&Fonts>,
) -> Proof {
    let Some(summary) = embedded.summary else {
        return Proof::new(ProofStatus::NotProvable, None, vec![older_layout(None)]);
    };
    let Some(record) = &summary.proof else {
        return Proof::new(ProofStatus::NotProvable, None, vec![older_layout(None)]);
    };
    let layout = Some(record.layout);
    if !crate::PROVABLE_LAYOUTS.contains(&record.layout) {
        return Proof::new(
            ProofStatus::NotProvable,
            layout,
            vec![older_layout(Some(record.layout))],
        );
    }
    let Some(fonts) = fonts.filter(|fonts| {
        fonts.main.record() == record.font
            && fonts.fallback.as_ref().map(|face| face.record()) == record.fallback_font
    }) else {
        return Proof::new(
            ProofStatus::NotProvable,
            layout,
            vec![font_not_available(record)],
        );
    };

    // Rendering takes its data as validated; data that does not fit its checklist was not made
    // by Zicha's render and is not rendered here.
    if let Err(error) = embedded.data.inspection.validate(embedded.checklist) {
        return Proof::new(
            ProofStatus::NotProvable,
            layout,
            vec![finding(
                "data-invalid",
                format!(
                    "not provable: the embedded inspection does not fit its checklist: {error}"
                ),
                format!("无法证明：内嵌检查数据与检查表不符：{error}"),
            )],
        );
    }
    let ends = zicha_sign::revision_ends(pdf);
    let first_signed = report.signatures.iter().filter_map(|s| s.revision).min();
    let original_end = match first_signed {
        // The revision before the first signature's incremental update.
        Some(revision) if revision >= 2 => ends.get(revision - 2).copied(),
        // A signature inside the original itself: not how Zicha signs.
        Some(_) => None,
        None => ends.last().copied(),
    };
    let Some(original_end) = original_end else {
        return Proof::new(
            ProofStatus::Differs,
            layout,
            vec![pages_differ(), changed_document()],
        );
    };
    let original = &pdf[..original_end];

    let mut findings = Vec::new();
    // What follows the first signature is judged by zicha-sign; the first signature's own update
    // is judged here, as if it came after signing: it may add the signature and nothing else.
    if let Some(signed_end) = first_signed.and_then(|revision| ends.get(revision - 1)) {
        for change in zicha_sign::changes_between(pdf, original_end, *signed_end) {
            findings.push(finding(
                "signing-update-changes",
                format!(
                    "the update that adds the first signature also changes the document: {}",
                    change.en
                ),
                format!("添加第一个签名的增量更新同时修改了文档：{}", change.zh),
            ));
        }
    }

    let view = PdfView::load(pdf, original_end).ok();
    let mut given = Given::default();
    let mut images_as_stored = 0;
    for image in &record.images {
        let data = view
            .as_ref()
            .and_then(|view| {
                view.xobject_data(image.page.saturating_sub(1), &image.resource)
                    .ok()
            })
            .flatten();
        let Some(data) = data else {
            findings.push(changed_image(image.page, &image.resource));
            continue;
        };
        match given_image(image, data, record.max_photo_px) {
            Ok((prepared, as_stored)) => {
                images_as_stored += usize::from(as_stored);
                match &image.source {
                    ImageSource::Photo { sha256 } => {
                        given.photos.insert(*sha256, prepared);
                    }
                    ImageSource::Handwritten { role, name } => {
                        given
                            .handwritten
                            .push((role.clone(), name.clone(), prepared));
                    }
                }
            }
            Err(()) => findings.push(changed_image(image.page, &image.resource)),
        }
    }

    let bundle = Bundle {
        data: embedded.data.clone(),
        photos: Default::default(),
        checklist_source: embedded.checklist_source.map(str::to_owned),
    };
    let mut options = Options::new(
        fonts,
        record.timestamp,
        summary.document_id.clone(),
        summary.as_of,
    );
    options.max_photo_px = record.max_photo_px;
    options.layout = record.layout;
    // The file's compressed streams by what they inflate to: the re-render takes them instead of
    // deflating again (see `Deflater`).
    let deflater = view.as_ref().map_or_else(Deflater::default, |view| {
        Deflater::reusing(view.flate_streams())
    });
    let mut pdf_bytes = Vec::new();
    let rendered = match crate::report::render(
        &bundle,
        embedded.checklist,
        &options,
        Some(&given),
        &deflater,
        &mut pdf_bytes,
    )
    .map(|written| written.with_pdf(pdf_bytes))
    {
        Ok(rendered) => rendered,
        Err(error) => {
            return Proof::new(
                ProofStatus::NotProvable,
                layout,
                vec![Finding {
                    code: "render-failed".to_owned(),
                    en: format!("not provable: the report cannot be rendered again: {error}"),
                    zh: format!("无法证明：无法根据内嵌数据重新生成报告：{error}"),
                }],
            );
        }
    };
    if findings.is_empty() && same_revision(&rendered.pdf, original) {
        let mut proof = Proof::new(ProofStatus::Proven, layout, Vec::new());
        proof.images_as_stored = images_as_stored;
        return proof;
    }
    findings.extend(differences(&rendered.pdf, pdf, original_end));
    if findings.is_empty() {
        findings.push(changed_document());
    }
    findings.insert(0, pages_differ());
    findings.dedup();
    let mut proof = Proof::new(ProofStatus::Differs, layout, findings);
    proof.images_as_stored = images_as_stored;
    proof
}

/// Whether `original` is `rendered`, allowing the end-of-line a signing update may put after the
/// original's last `%%EOF` (it is counted in the original revision by [`zicha_sign::revision_ends`]).
fn same_revision(rendered: &[u8], original: &[u8]) -> bool {
    original.starts_with(rendered)
        && matches!(&original[rendered.len()..], b"" | b"\n" | b"\r" | b"\r\n")
}

/// The image as the re-render uses it, and whether it is taken as stored (not checked against an
/// original). A photo passed through must be the photo the data names.
fn given_image(
    image: &ImageRecord,
    data: Vec<u8>,
    max_photo_px: u32,
) -> Result<(Prepared<'static>, bool), ()> {
    if image.passthrough {
        if let ImageSource::Photo { sha256 } = &image.source
            && Sha256::of(&data) != *sha256
        {
            return Err(());
        }
        let limit = match image.source {
            ImageSource::Photo { .. } => max_photo_px,
            ImageSource::Handwritten { .. } => crate::report::signature::HANDWRITTEN_MAX_PX,
        };
        let mut prepared = photo::prepare_owned(data, limit).map_err(|_| ())?;
        if let ImageSource::Photo { sha256 } = &image.source {
            // Checked above: the record's digest of the stored bytes need not be taken again.
            prepared.sha256 = Some(*sha256);
        }
        let as_stored = matches!(image.source, ImageSource::Handwritten { .. });
        return Ok((prepared, as_stored));
    }
    Ok((
        Prepared {
            width: image.width,
            height: image.height,
            components: image.components,
            inverted_cmyk: image.inverted_cmyk,
            filter: if image.flate {
                Filter::Flate
            } else {
                Filter::Dct
            },
            data: data.into(),
            orientation: image.orientation,
            passthrough: false,
            sha256: None,
        },
        true,
    ))
}

fn older_layout(version: Option<u32>) -> Finding {
    let (en_detail, zh_detail) = match version {
        None => (
            "the report was made before Zicha recorded what a proof needs".to_owned(),
            "该报告生成时 Zicha 尚未记录证明所需的信息".to_owned(),
        ),
        Some(version) => (
            format!(
                "the report was made with layout version {version}; this verifier renders versions {} to {}",
                crate::PROVABLE_LAYOUTS.start(),
                crate::PROVABLE_LAYOUTS.end()
            ),
            format!(
                "该报告的版式版本为 {version}，本验证程序可重现的版式版本为 {} 至 {}",
                crate::PROVABLE_LAYOUTS.start(),
                crate::PROVABLE_LAYOUTS.end()
            ),
        ),
    };
    finding(
        "layout-not-provable",
        format!(
            "not provable (older layout): {en_detail}, so its pages cannot be proven to show its \
             data; ask for the report made again with the current Zicha"
        ),
        format!(
            "无法证明（旧版版式）：{zh_detail}，无法证明页面与内嵌数据一致；请要求用当前版本的 Zicha 重新生成报告"
        ),
    )
}

fn font_not_available(record: &ProofRecord) -> Finding {
    finding(
        "font-not-available",
        format!(
            "not provable: the report was drawn with the font {} ({}), which this verifier does not have",
            record.font.name,
            record.font.sha256.short(12)
        ),
        format!(
            "无法证明：报告使用的字体 {}（{}）本验证程序没有",
            record.font.name,
            record.font.sha256.short(12)
        ),
    )
}

fn pages_differ() -> Finding {
    finding(
        "pages-differ",
        "the signed pages are not what Zicha renders from the report's own data: the report was \
         altered before signing"
            .to_owned(),
        "签名的页面与 Zicha 根据报告内嵌数据生成的页面不一致：报告在签名前被改动".to_owned(),
    )
}

fn changed_document() -> Finding {
    finding(
        "changed-document",
        "the file differs from what Zicha renders outside the pages (metadata, attachments or how \
         the file is written)"
            .to_owned(),
        "文件在页面以外的部分（元数据、附件或文件结构）与 Zicha 生成的不一致".to_owned(),
    )
}

fn changed_image(page: usize, resource: &str) -> Finding {
    finding(
        "changed-image",
        format!("page {page}: the image {resource} is not the one the data names"),
        format!("第 {page} 页：图像 {resource} 不是数据所指的图像"),
    )
}

/// Names what differs between the expected render and the file's unsigned original.
fn differences(expected: &[u8], pdf: &[u8], original_end: usize) -> Vec<Finding> {
    let mut findings = Vec::new();
    let expected_end = zicha_sign::revision_ends(expected)
        .last()
        .copied()
        .unwrap_or(expected.len());
    let (Ok(want), Ok(have)) = (
        PdfView::load(expected, expected_end),
        PdfView::load(pdf, original_end),
    ) else {
        return findings;
    };
    let (Ok(want_keys), Ok(have_keys)) = (want.catalog_keys(), have.catalog_keys()) else {
        return findings;
    };
    for key in &have_keys {
        if key == "AcroForm" && !want_keys.contains(key) {
            findings.push(finding(
                "extra-form-field",
                "a form (/AcroForm) that Zicha does not make was added".to_owned(),
                "文档中添加了 Zicha 不会生成的表单（/AcroForm）".to_owned(),
            ));
        } else if !want_keys.contains(key)
            || want.catalog_digest(key).ok().flatten() != have.catalog_digest(key).ok().flatten()
        {
            // /Pages differs whenever a page does; the pages are compared one by one below.
            if key != "Pages" {
                findings.push(finding(
                    "catalog-entry",
                    format!("the document catalog entry /{key} is not what Zicha writes"),
                    format!("文档目录项 /{key} 与 Zicha 生成的不一致"),
                ));
            }
        }
    }
    let (Ok(want_pages), Ok(have_pages)) = (want.pages(), have.pages()) else {
        return findings;
    };
    for (idx, (want, have)) in want_pages.iter().zip(&have_pages).enumerate() {
        page_differences(idx + 1, want, have, &mut findings);
    }
    for page in want_pages.len() + 1..=have_pages.len() {
        findings.push(finding(
            "extra-page",
            format!("page {page} is not in the report Zicha renders from the data (an added page)"),
            format!("第 {page} 页不在 Zicha 根据数据生成的报告中（被添加的页面）"),
        ));
    }
    for page in have_pages.len() + 1..=want_pages.len() {
        findings.push(finding(
            "missing-page",
            format!("page {page} of the report Zicha renders from the data is missing"),
            format!("Zicha 根据数据生成的报告中的第 {page} 页缺失"),
        ));
    }
    findings
}

fn page_differences(page: usize, want: &PageView, have: &PageView, out: &mut Vec<Finding>) {
    for subtype in &have.annotations {
        if !want.annotations.contains(subtype) {
            let subtype = if subtype.is_empty() { "?" } else { subtype };
            out.push(finding(
                "extra-annotation",
                format!("page {page}: an annotation (/{subtype}) that Zicha does not make"),
                format!("第 {page} 页：有 Zicha 不会生成的注释（/{subtype}）"),
            ));
        }
    }
    for font in &have.fonts {
        match want.fonts.iter().find(|f| f.name == font.name) {
            None => out.push(finding(
                "extra-font",
                format!(
                    "page {page}: an extra font /{} ({}) that Zicha does not use",
                    font.name, font.base_font
                ),
                format!(
                    "第 {page} 页：有 Zicha 不会使用的额外字体 /{}（{}）",
                    font.name, font.base_font
                ),
            )),
            Some(expected) if expected.digest != font.digest => out.push(finding(
                "changed-font",
                format!(
                    "page {page}: the font /{} ({}) is not the one Zicha embeds (its glyphs may \
                     draw other characters)",
                    font.name, font.base_font
                ),
                format!(
                    "第 {page} 页：字体 /{}（{}）与 Zicha 嵌入的不一致（字形可能显示为其他字符）",
                    font.name, font.base_font
                ),
            )),
            Some(_) => {}
        }
    }
    for xobject in &have.xobjects {
        match want.xobjects.iter().find(|x| x.name == xobject.name) {
            None => out.push(finding(
                "added-content",
                format!(
                    "page {page}: an extra /{} object /{} that Zicha does not draw",
                    xobject.subtype, xobject.name
                ),
                format!(
                    "第 {page} 页：有 Zicha 不会绘制的额外 /{} 对象 /{}",
                    xobject.subtype, xobject.name
                ),
            )),
            Some(expected) if expected.digest != xobject.digest => {
                out.push(changed_image(page, &xobject.name));
            }
            Some(_) => {}
        }
    }
    if have.other_resources != want.other_resources {
        out.push(finding(
            "added-content",
            format!(
                "page {page}: resources Zicha does not use ({})",
                have.other_resources.join(", ")
            ),
            format!(
                "第 {page} 页：有 Zicha 不会使用的资源（{}）",
                have.other_resources.join("、")
            ),
        ));
    }
    if have.attributes_digest != want.attributes_digest {
        out.push(finding(
            "changed-page",
            format!("page {page}: the page's size or other attributes are not what Zicha writes"),
            format!("第 {page} 页：页面尺寸或其他属性与 Zicha 生成的不一致"),
        ));
    }
    if have.content != want.content {
        out.push(content_difference(page, &want.content, &have.content));
    }
}

/// One content-stream operation: its operands (as written) and its operator.
type Operation<'a> = (Vec<&'a [u8]>, &'a [u8]);

/// What kind of change turns `want` into `have`.
fn content_difference(page: usize, want: &[u8], have: &[u8]) -> Finding {
    let want_ops = operations(want);
    let have_ops = operations(have);
    let added = have_ops.len() > want_ops.len() && is_subsequence(&want_ops, &have_ops);
    if added {
        return finding(
            "added-content",
            format!(
                "page {page}: content that Zicha does not draw was added (drawn over the page)"
            ),
            format!("第 {page} 页：添加了 Zicha 不会绘制的内容（覆盖在页面上）"),
        );
    }
    let text_changed = want_ops.len() == have_ops.len()
        && want_ops
            .iter()
            .zip(&have_ops)
            .filter(|(a, b)| a != b)
            .all(|(a, b)| a.1 == b.1 && is_text_operator(a.1));
    if text_changed {
        return finding(
            "changed-text",
            format!("page {page}: text is not what Zicha renders from the data"),
            format!("第 {page} 页：文字与 Zicha 根据数据生成的不一致"),
        );
    }
    finding(
        "changed-content",
        format!("page {page}: the page content is not what Zicha renders from the data"),
        format!("第 {page} 页：页面内容与 Zicha 根据数据生成的不一致"),
    )
}

fn is_text_operator(operator: &[u8]) -> bool {
    matches!(operator, b"Tj" | b"TJ" | b"'" | b"\"")
}

fn is_subsequence(short: &[Operation<'_>], long: &[Operation<'_>]) -> bool {
    let mut rest = long.iter();
    short.iter().all(|op| rest.any(|candidate| candidate == op))
}

/// Splits a content stream into operations. A small tokenizer: strings, hex strings, arrays and
/// dictionaries become one operand each; inline image data is skipped up to `EI`.
fn operations(content: &[u8]) -> Vec<Operation<'_>> {
    let mut ops = Vec::new();
    let mut operands = Vec::new();
    let mut pos = 0;
    while pos < content.len() {
        let byte = content[pos];
        if byte.is_ascii_whitespace() || byte == 0 {
            pos += 1;
            continue;
        }
        if byte == b'%' {
            while pos < content.len() && content[pos] != b'\n' && content[pos] != b'\r' {
                pos += 1;
            }
            continue;
        }
        let start = pos;
        match byte {
            b'(' => pos = skip_literal(content, pos),
            b'<' if content.get(pos + 1) == Some(&b'<') => pos = skip_nested(content, pos),
            b'<' => {
                pos = content[pos..]
                    .iter()
                    .position(|&b| b == b'>')
                    .map_or(content.len(), |end| pos + end + 1);
            }
            b'[' => pos = skip_nested(content, pos),
            b'/' => {
                pos += 1;
                while pos < content.len() && !is_delimiter(content[pos]) {
                    pos += 1;
                }
            }
            _ => {
                pos += 1;
                while pos < content.len() && !is_delimiter(content[pos]) {
                    pos += 1;
                }
                let token = &content[start..pos];
                let is_operand = token[0].is_ascii_digit()
                    || matches!(token[0], b'+' | b'-' | b'.')
                    || matches!(token, b"true" | b"false" | b"null");
                if !is_operand {
                    ops.push((std::mem::take(&mut operands), token));
                    if token == b"ID" {
                        // Inline image data: up to whitespace + EI.
                        pos = content[pos..]
                            .windows(3)
                            .position(|w| w[0].is_ascii_whitespace() && &w[1..] == b"EI")
                            .map_or(content.len(), |at| pos + at + 1);
                    }
                    continue;
                }
            }
        }
        operands.push(&content[start..pos.min(content.len())]);
    }
    if !operands.is_empty() {
        ops.push((operands, b"".as_slice()));
    }
    ops
}

fn is_delimiter(byte: u8) -> bool {
    byte.is_ascii_whitespace() || b"()<>[]{}/%".contains(&byte)
}

/// Just past the literal string starting at `pos` (balanced parentheses, backslash escapes).
fn skip_literal(content: &[u8], mut pos: usize) -> usize {
    let mut depth = 0usize;
    while pos < content.len() {
        match content[pos] {
            b'\\' => pos += 1,
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return pos + 1;
                }
            }
            _ => {}
        }
        pos += 1;
    }
    content.len()
}

/// Just past the array or dictionary starting at `pos` (nested, strings skipped).
fn skip_nested(content: &[u8], mut pos: usize) -> usize {
    let mut depth = 0usize;
    while pos < content.len() {
        match content[pos] {
            b'(' => {
                pos = skip_literal(content, pos);
                continue;
            }
            b'[' | b'<' => depth += 1,
            b']' | b'>' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return pos + 1;
                }
            }
            _ => {}
        }
        pos += 1;
    }
    content.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_streams_split_into_operations() {
        let ops =
            operations(b"q 1 0 0 1 5 6 cm BT /F1 12 Tf (a\\)b(c)) Tj [<0012> -3 (x)] TJ ET Q");
        let operators: Vec<&[u8]> = ops.iter().map(|op| op.1).collect();
        assert_eq!(
            operators,
            [&b"q"[..], b"cm", b"BT", b"Tf", b"Tj", b"TJ", b"ET", b"Q"]
        );
        assert_eq!(ops[1].0.len(), 6);
        assert_eq!(ops[4].0, [&b"(a\\)b(c))"[..]]);
        assert_eq!(ops[5].0, [&b"[<0012> -3 (x)]"[..]]);
    }

    #[test]
    fn kinds_of_content_difference() {
        let page = b"BT /F1 12 Tf <0012> Tj ET 0 0 10 10 re f";
        let code = |have: &[u8]| content_difference(3, page, have).code;
        assert_eq!(
            code(b"BT /F1 12 Tf <0012> Tj ET 0 0 10 10 re f 1 g 0 0 5 5 re f"),
            "added-content"
        );
        assert_eq!(
            code(b"BT /F1 12 Tf <0013> Tj ET 0 0 10 10 re f"),
            "changed-text"
        );
        assert_eq!(
            code(b"BT /F1 12 Tf <0012> Tj ET 0 0 11 10 re f"),
            "changed-content"
        );
        let finding = content_difference(3, page, b"x");
        assert!(finding.en.starts_with("page 3:") && finding.zh.starts_with("第 3 页"));
    }
}
