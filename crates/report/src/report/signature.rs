//! The signature page: each party with name, role, unit, date and the handwritten signature when
//! given, then one reserved, framed area per party for the digital signature's appearance, which
//! zicha-sign places there as a widget in an incremental update.

use crate::canvas::{
    Align, BLACK, BODY, Draw, GREY, LEFT, LIGHT, RIGHT, RULE, SMALL, WIDTH, line_height,
};
use crate::fonts::PT_PER_MM;
use crate::photo::{self, Prepared};
use crate::report::{Report, date, date_time_labelled};
use crate::{ImageSource, Role, SignatureSlot, Warning, signers};

/// Height of a party's row (room for a handwritten signature).
const ROW_H: f32 = 16.0;
/// Size of a reserved digital-signature area.
const SLOT_W: f32 = 80.0;
const SLOT_H: f32 = 26.0;
/// Long edge limit of a handwritten signature image, in pixels.
pub(crate) const HANDWRITTEN_MAX_PX: u32 = 1200;

/// The handwritten signature of the party, prepared: from the options, or when re-rendering for a
/// proof, as the report stored it.
fn handwritten<'a>(
    report: &Report<'a>,
    role: Role,
    name: &str,
) -> Option<Result<Prepared<'a>, String>> {
    if let Some(given) = report.given {
        return given
            .handwritten
            .iter()
            .find(|(given_role, given_name, _)| *given_role == role.zh() && given_name == name)
            .map(|(_, _, prepared)| Ok(prepared.borrowed()));
    }
    let options: &'a crate::Options<'a> = report.options;
    options
        .handwritten
        .iter()
        .find(|h| h.role == role && h.name == name)
        .map(|h| photo::prepare(&h.image, HANDWRITTEN_MAX_PX))
}

pub(crate) fn signature_page(report: &mut Report<'_>) -> Vec<SignatureSlot> {
    let parties = signers(report.bundle);
    report.canvas.new_page();
    report.canvas.heading("四、签字确认", 60.0);
    report.canvas.paragraph(
        0.0,
        BODY,
        "本报告由企业自行组织检查形成。检查人对检查情况的真实性负责，企业负责人对隐患整改落实负责（谁排查、谁签字、谁负责）。",
        BLACK,
    );
    report.canvas.y += 3.0;

    let columns = [
        ("角色", 22.0),
        ("姓名", 26.0),
        ("单位", 60.0),
        ("日期", 24.0),
        ("手写签名", WIDTH - 132.0),
    ];
    let header_h = line_height(SMALL) + 3.0;
    let header = |report: &mut Report<'_>| {
        let top = report.canvas.y;
        report.canvas.fill_rect(LEFT, top, WIDTH, header_h, LIGHT);
        let mut x = LEFT;
        for (title, width) in columns {
            report.canvas.text_aligned(
                x,
                width,
                top + 1.5,
                SMALL,
                title,
                Align::Center,
                BLACK,
                true,
            );
            report.canvas.line(x, top, x, top + header_h, 0.5, RULE);
            x += width;
        }
        report
            .canvas
            .stroke_rect(LEFT, top, WIDTH, header_h, 0.5, RULE);
        report.canvas.y += header_h;
    };
    report.canvas.ensure(header_h + ROW_H);
    header(report);
    let day = date(report.bundle.data.inspection.date);
    for party in &parties {
        if report.canvas.ensure(ROW_H) {
            header(report);
        }
        let top = report.canvas.y;
        let texts = [
            party.role.zh().to_owned(),
            party.name.clone(),
            party.organisation.clone(),
            day.clone(),
        ];
        let mut x = LEFT;
        for ((_, width), text) in columns.iter().zip(&texts) {
            let lines = report.canvas.wrap(text, SMALL, width - 2.8);
            let lh = line_height(SMALL);
            let block = lines.len().min(3) as f32 * lh;
            for (idx, line) in lines.iter().take(3).enumerate() {
                report.canvas.text_aligned(
                    x + 1.4,
                    width - 2.8,
                    top + (ROW_H - block) / 2.0 + idx as f32 * lh,
                    SMALL,
                    line,
                    Align::Center,
                    BLACK,
                    false,
                );
            }
            x += width;
        }
        let (_, sign_w) = columns[4];
        if let Some(prepared) = handwritten(report, party.role, &party.name) {
            match prepared {
                Ok(prepared) => {
                    let (pw, ph) = prepared.display_size();
                    let (box_w, box_h) = (sign_w - 4.0, ROW_H - 3.0);
                    let scale = (box_w / pw as f32).min(box_h / ph as f32);
                    let (w, h) = (pw as f32 * scale, ph as f32 * scale);
                    let image = report.add_image(
                        prepared,
                        ImageSource::Handwritten {
                            role: party.role.zh().to_owned(),
                            name: party.name.clone(),
                        },
                    );
                    report.canvas.draw(Draw::Image {
                        image,
                        x: x + (sign_w - w) / 2.0,
                        y: top + (ROW_H - h) / 2.0,
                        w,
                        h,
                    });
                }
                Err(reason) => report.warnings.push(Warning::SignatureUnreadable {
                    name: party.name.clone(),
                    reason,
                }),
            }
        }
        let mut x = LEFT;
        for (_, width) in &columns[..4] {
            x += width;
            report.canvas.line(x, top, x, top + ROW_H, 0.5, RULE);
        }
        report
            .canvas
            .stroke_rect(LEFT, top, WIDTH, ROW_H, 0.5, RULE);
        report.canvas.y += ROW_H;
    }

    report.canvas.y += 4.0;
    responsible_and_seal(report);

    report.canvas.y += 4.0;
    report.canvas.subheading("数字签名", SLOT_H + 10.0);
    report.canvas.paragraph(
        0.0,
        SMALL,
        "以下区域预留给各方的数字签名（PAdES）。签名以增量更新方式附加，签名后文件的任何改动都会使签名失效；可用 zicha verify 或 PDF 阅读器验证。",
        GREY,
    );
    report.canvas.y += 2.0;

    let mut slots = Vec::new();
    let label_h = line_height(SMALL) + 0.5;
    let gap = WIDTH - 2.0 * SLOT_W;
    for pair in parties.chunks(2) {
        report.canvas.ensure(label_h + SLOT_H + 4.0);
        let top = report.canvas.y;
        for (idx, party) in pair.iter().enumerate() {
            let x = LEFT + idx as f32 * (SLOT_W + gap);
            let label = format!("{}（{}）数字签名", party.role.zh(), party.name);
            report.canvas.text_at(x, top, SMALL, &label, GREY);
            let y = top + label_h;
            report.canvas.draw(Draw::Rect {
                x,
                y,
                w: SLOT_W,
                h: SLOT_H,
                fill: None,
                stroke: Some(RULE),
                width_pt: 0.6,
                dashed: true,
            });
            let page = report.canvas.pages.len() - 1;
            let to_pt = |v: f32| v * PT_PER_MM;
            slots.push(SignatureSlot {
                signer: party.clone(),
                page,
                rect: [
                    to_pt(x),
                    to_pt(crate::canvas::PAGE_H - y - SLOT_H),
                    to_pt(x + SLOT_W),
                    to_pt(crate::canvas::PAGE_H - y),
                ],
            });
        }
        report.canvas.y = top + label_h + SLOT_H + 4.0;
    }
    slots
}

/// Side of the square left for the unit's seal (公章): a round 公章 is 40–42 mm across.
const SEAL: f32 = 44.0;

/// The enterprise's 法定代表人 and, for a project, its 项目经理, each with a line to sign on, and
/// beside them the area for the unit's 公章 with the date; the report's time in China time.
fn responsible_and_seal(report: &mut Report<'_>) {
    let data = &report.bundle.data;
    let mut people = vec![(
        "法定代表人",
        data.organisation.legal_representative.clone(),
        data.organisation.name.clone(),
    )];
    if let Some(project) = &data.project {
        let contractor = project
            .party(zicha_core::org::PartyRole::Contractor)
            .map_or_else(
                || data.organisation.name.clone(),
                |party| party.name.clone(),
            );
        people.push(("项目经理", project.project_manager.clone(), contractor));
    }
    let generated = date_time_labelled(report.options.timestamp);
    report.canvas.ensure(SEAL + 8.0);
    let top = report.canvas.y;
    let text_w = WIDTH - SEAL - 8.0;
    let lh = line_height(BODY);
    let mut y = top + 2.0;
    for (role, name, unit) in &people {
        let name = if name.trim().is_empty() {
            "（未填写）".to_owned()
        } else {
            name.clone()
        };
        report
            .canvas
            .text_styled(LEFT, y, BODY, &format!("{role}：{name}"), BLACK, true);
        report.canvas.text_at(LEFT, y + lh, SMALL, unit, GREY);
        let sign_x = LEFT + text_w * 0.55;
        report
            .canvas
            .text_at(sign_x, y + lh * 0.6, SMALL, "签字：", GREY);
        report.canvas.line(
            sign_x + 10.0,
            y + lh * 0.6 + line_height(SMALL),
            LEFT + text_w,
            y + lh * 0.6 + line_height(SMALL),
            0.5,
            RULE,
        );
        y += lh * 2.0 + 3.0;
    }
    report.canvas.text_at(
        LEFT,
        y,
        SMALL,
        &format!("报告生成时间：{generated}。本报告所列时间均为北京时间。"),
        GREY,
    );
    y += line_height(SMALL);

    let seal_x = RIGHT - SEAL;
    report.canvas.draw(Draw::Rect {
        x: seal_x,
        y: top,
        w: SEAL,
        h: SEAL,
        fill: None,
        stroke: Some(RULE),
        width_pt: 0.6,
        dashed: true,
    });
    report.canvas.text_aligned(
        seal_x,
        SEAL,
        top + SEAL / 2.0 - lh,
        BODY,
        "单位公章",
        Align::Center,
        GREY,
        false,
    );
    report.canvas.text_aligned(
        seal_x,
        SEAL,
        top + SEAL / 2.0 + 1.0,
        SMALL,
        "（盖章处）",
        Align::Center,
        GREY,
        false,
    );
    report.canvas.text_aligned(
        seal_x,
        SEAL,
        top + SEAL - line_height(SMALL) - 2.0,
        SMALL,
        "年　　月　　日",
        Align::Center,
        GREY,
        false,
    );
    report.canvas.y = y.max(top + SEAL) + 2.0;
}
