//! `zicha score FILE.zicha [--json] [--as-of YYYY-MM-DD]`.

use std::path::PathBuf;

use zicha_core::bundle::Bundle;
use zicha_core::score::{self, RateBasis, ScoreReport};

use crate::{EXIT_OK, EXIT_PROBLEMS, Io};

/// Arguments of `zicha score`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Inspection bundle (.zicha).
    file: PathBuf,
    /// Print JSON: {grade, incomplete, total, sections, five_100, stop_work, hazards, ...}.
    #[arg(long)]
    json: bool,
    /// Day against which rectification deadlines are checked (default: today, China Standard Time).
    #[arg(long, value_parser = super::parse_date)]
    as_of: Option<time::Date>,
}

pub fn run(args: Args, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let shown = args.file.display();
    let (bundle, checklist) = match super::load_bundle(&args.file)? {
        Ok(loaded) => loaded,
        Err(error) => {
            writeln!(io.err, "{shown}: {error}")?;
            return Ok(EXIT_PROBLEMS);
        }
    };
    let as_of = args.as_of.unwrap_or_else(super::today);
    let report = score::score_with(
        &checklist,
        &bundle.data.inspection,
        &bundle.data.hazards,
        bundle.data.major_sources(),
        as_of,
    );
    if args.json {
        serde_json::to_writer_pretty(&mut *io.out, &report)?;
        writeln!(io.out)?;
    } else {
        print_text(&report, &bundle, &checklist, io)?;
    }
    Ok(EXIT_OK)
}

fn fmt(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn print_text(
    report: &ScoreReport,
    bundle: &Bundle,
    checklist: &zicha_core::checklist::Checklist,
    io: &mut Io<'_>,
) -> anyhow::Result<()> {
    let out = &mut *io.out;
    let data = &bundle.data;
    writeln!(
        out,
        "{} ({})",
        data.organisation.name, data.organisation.credit_code
    )?;
    if let Some(project) = &data.project {
        writeln!(out, "项目 project: {}", project.name)?;
    }
    writeln!(
        out,
        "检查表 checklist: {} {}",
        checklist.title_zh, checklist.version
    )?;
    writeln!(
        out,
        "进度 progress: {} / {} items",
        report.progress.answered, report.progress.items
    )?;
    match report.grade {
        Some(grade) => writeln!(
            out,
            "总分 total: {}   等级 grade: {}",
            fmt(report.total),
            grade.zh()
        )?,
        None if !report.incomplete.is_empty() => {
            writeln!(out, "评分未完成 scoring incomplete, no grade yet; missing:")?;
            for missing in &report.incomplete {
                writeln!(out, "  - {}", missing.zh())?;
            }
        }
        None => match &report.judgement {
            // No scoring standard: the 判定标准's verdict, not a percentage (issue 11 §6).
            Some(judgement) => {
                writeln!(out, "判定 judgement: {}", judgement.verdict_zh())?;
                writeln!(
                    out,
                    "  重大 major: {} (未销号 open {}) · 一般 general: {} (未销号 open {})",
                    judgement.major.total(),
                    judgement.major_open,
                    judgement.general.total(),
                    judgement.general_open
                )?;
                if !judgement.major_items.is_empty() {
                    writeln!(
                        out,
                        "  不符合的重大隐患判定项 failed major items: {}",
                        judgement.major_items.join(", ")
                    )?;
                }
                if let Some(combined) = &judgement.combined {
                    writeln!(
                        out,
                        "  综合判定 combined: {} / {} elements{} ({})",
                        combined.elements.len(),
                        combined.threshold,
                        if combined.reached {
                            " — 重大火灾隐患"
                        } else {
                            ""
                        },
                        combined.elements.join(", ")
                    )?;
                }
            }
            None => writeln!(out, "等级 grade: — (no sheet checked)")?,
        },
    }
    if !report.summary.is_empty() {
        writeln!(out, "\n汇总表 (JGJ 59-2011)")?;
        for row in &report.summary {
            let score = row.score.map_or("缺项".to_owned(), fmt);
            writeln!(
                out,
                "  {:<16} {:>6} / {}",
                row.title,
                score,
                fmt(row.weight)
            )?;
        }
        let absent: Vec<String> = report
            .sheets
            .iter()
            .filter(|sheet| sheet.absent)
            .map(|sheet| format!("{} {}", sheet.id, sheet.title))
            .collect();
        if !absent.is_empty() {
            writeln!(out, "  本工程无此项 absent: {}", absent.join("、"))?;
        }
        for sheet in report.sheets.iter().filter(|sheet| sheet.gate.is_some()) {
            writeln!(
                out,
                "  {} {}: {}",
                sheet.id,
                sheet.title,
                sheet.gate.as_deref().unwrap_or_default()
            )?;
        }
    }
    writeln!(out, "\n分项 sections")?;
    for section in &report.sections {
        if report.judgement.is_some() {
            // No scoring standard: what was checked and what failed, no points.
            writeln!(
                out,
                "  {:<24} {} / {} answered ({} failed)",
                section.title, section.answered, section.items, section.failed
            )?;
            continue;
        }
        writeln!(
            out,
            "  {:<24} {:>6} / {:<6} ({} failed)",
            section.title,
            fmt(section.score),
            fmt(section.max),
            section.failed
        )?;
    }
    if !report.five_100.is_empty() {
        writeln!(out, "\n五个100%")?;
        for rate in &report.five_100 {
            let percent = rate
                .percent()
                .map_or("—".to_owned(), |p| format!("{}%", fmt(p)));
            writeln!(
                out,
                "  {}: {} / {} = {}",
                rate.title, rate.numerator, rate.denominator, percent
            )?;
            if rate.basis == RateBasis::Register {
                let unassessed: Vec<String> = rate
                    .gaps
                    .iter()
                    .map(|id| {
                        let name = data
                            .project
                            .as_ref()
                            .and_then(|project| project.major_source(id))
                            .map_or("", |source| source.name.as_str());
                        format!("{id} {name}").trim_end().to_owned()
                    })
                    .collect();
                let unassessed = if unassessed.is_empty() {
                    "无 none".to_owned()
                } else {
                    unassessed.join("；")
                };
                writeln!(
                    out,
                    "    按重大危险源台账 on the register · 本月未评估 unassessed this month: {unassessed}"
                )?;
            }
        }
    }
    let hazards = &report.hazards;
    writeln!(
        out,
        "\n隐患 hazards: 一般 {} · 重大 {} · 未销号 open {} · 已销号 closed {} · 逾期 overdue {}",
        hazards.general, hazards.major, hazards.open, hazards.closed, hazards.overdue
    )?;
    if report.stop_work {
        writeln!(out, "\n停工 STOP WORK:")?;
        for reason in &report.stop_work_reasons {
            writeln!(out, "  - {}", reason.text)?;
        }
    }
    Ok(())
}
