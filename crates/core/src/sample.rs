//! Realistic filled inspections for demos and tests: an enterprise, a project (construction), answers
//! with some failures, and 3–6 hazards in various states. Deterministic: the same checklist, seed
//! and date give the same bundle (a small SplitMix64 generator, no system randomness).

use std::collections::BTreeMap;

use time::{Date, Duration, OffsetDateTime, Time};

use crate::bundle::{Bundle, BundleData, SCHEMA_VERSION};
use crate::checklist::{Checklist, Group, ItemKind, Level, Sector};
use crate::inspection::{Answer, AppliedDeduction, Inspection, Response, evaluate};
use crate::ledger::{
    Closure, GovernancePlan, Hazard, Status, Supervision, SupervisionLevel, hazard_description,
};
use crate::org::{
    MajorSource, Organisation, Party, PartyRole, Project, RiskAssessment, credit_code_check_char,
};

/// SplitMix64: tiny, fast and good enough for demo data (and for the generated cases of tests).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
const GIVEN: [&str; 16] = [
    "建国", "海燕", "志强", "秀英", "伟", "静", "磊", "敏", "军", "丽娟", "晓东", "红梅", "国华",
    "子豪", "文博", "雪",
];
const CITIES: [(&str, &str); 6] = [
    ("350100", "福建省福州市鼓楼区五四路"),
    ("440300", "广东省深圳市南山区科技园路"),
    ("330100", "浙江省杭州市西湖区文三路"),
    ("510100", "四川省成都市武侯区人民南路"),
    ("420100", "湖北省武汉市洪山区珞喻路"),
    ("370200", "山东省青岛市市南区香港中路"),
];

fn person(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

/// A valid 统一社会信用代码 for a company registered by 市场监管 (9) as an enterprise (1) in `region`.
fn credit_code(rng: &mut Rng, region: &str) -> String {
    const BODY: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    let mut code = format!("91{region}");
    for _ in 0..9 {
        code.push(BODY[rng.below(BODY.len())] as char);
    }
    let check = credit_code_check_char(&code).expect("generated from the alphabet");
    code.push(check);
    code
}

fn enterprise_name(sector: Sector, rng: &mut Rng) -> String {
    let place = rng
        .pick(&["闽江", "鹏城", "钱塘", "锦城", "江城", "海湾"])
        .to_owned();
    let kind = match sector {
        Sector::Construction => "建设工程有限公司",
        Sector::CoalMine => "煤业有限责任公司",
        Sector::MetalMine => "矿业有限公司",
        Sector::HazardousChemicals => "化工有限公司",
        Sector::FireworksExplosives => "烟花爆竹有限公司",
        Sector::RoadTransport => "汽车运输有限公司",
        Sector::WaterTransport => "航运有限公司",
        Sector::FireSafety => "商业管理有限公司",
        Sector::CityGas => "燃气有限公司",
        Sector::SpecialEquipment => "机械制造有限公司",
        Sector::School => "实验学校",
        Sector::IndustryTrade => "金属制品有限公司",
        Sector::GeologicalHazard => "矿山地质工程有限公司",
        Sector::GasStation => "石油销售有限公司加油站",
        Sector::HighwayWaterway => "路桥建设有限公司",
        Sector::WaterConservancy => "水利水电工程有限公司",
        Sector::Power => "电力有限公司",
        Sector::ElderlyCare => "颐养院",
        Sector::Medical => "人民医院",
        Sector::FishingVessel => "远洋渔业有限公司",
        Sector::Tourism => "旅游开发有限公司",
        Sector::OilGasPipeline => "管道储运有限公司",
        Sector::Generic => "实业有限公司",
    };
    format!("{place}{kind}")
}

fn answer_for(
    item: &crate::checklist::Item,
    group: Option<Group>,
    rng: &mut Rng,
) -> Option<Response> {
    let response = match &item.kind {
        // 保证项目 must all be checked (JGJ 59-2011 4.0.1): never 不适用 there.
        _ if group != Some(Group::Guarantee) && rng.chance(4) => Response::NotApplicable,
        ItemKind::Check => {
            let fail = if item.level == Level::Major { 0 } else { 6 };
            if rng.chance(fail) {
                Response::NonConform
            } else {
                Response::Conform
            }
        }
        ItemKind::Deduction(rules) => {
            if rng.chance(88) {
                Response::Conform
            } else {
                // Prefer rules that leave the item some points, so that a sample is not always
                // gated to 0 by a single 保证项目.
                let partial: Vec<usize> = (0..rules.len())
                    .filter(|&idx| rules[idx].min < item.points)
                    .collect();
                if partial.is_empty() && group == Some(Group::Guarantee) && rng.chance(80) {
                    return Some(Response::Conform);
                }
                let rule_idx = if partial.is_empty() {
                    rng.below(rules.len())
                } else {
                    *rng.pick(&partial)
                };
                let rule = &rules[rule_idx];
                let span = (rule.max - rule.min).max(0.0) as usize;
                let points = (rule.min + rng.below(span + 1) as f64)
                    .min(rule.max)
                    .min(item.points - 1.0)
                    .floor()
                    .max(rule.min);
                let count = if rule.per.is_some() {
                    1 + rng.below(2) as u32
                } else {
                    1
                };
                Response::Deducted {
                    deductions: vec![AppliedDeduction {
                        rule: rule_idx,
                        points,
                        count,
                    }],
                }
            }
        }
        ItemKind::Measurement { min, max, .. } => {
            let (lo, hi) = match (min, max) {
                (Some(lo), Some(hi)) => (*lo, *hi),
                (Some(lo), None) => (*lo, lo * 1.5 + 1.0),
                (None, Some(hi)) => (hi * 0.5, *hi),
                (None, None) => (0.0, 1.0),
            };
            let value = if rng.chance(10) {
                // Outside the range: a failure.
                if min.is_some() {
                    lo - (hi - lo).abs().max(1.0) * 0.1
                } else {
                    hi + (hi - lo).abs().max(1.0) * 0.1
                }
            } else {
                lo + (hi - lo) * (rng.below(101) as f64 / 100.0)
            };
            Response::Measured {
                value: (value * 100.0).round() / 100.0,
            }
        }
        ItemKind::Text => Response::Text {
            text: format!("记录编号 {}-{:03}", item.id.to_uppercase(), rng.below(1000)),
        },
        // A photo item needs a photo; the CLI adds generated photos with `--photos`.
        ItemKind::Photo => return None,
    };
    Some(response)
}

/// The sample project's register of 重大危险源 / 危大工程: four sources, each assessed by the
/// enterprise's safety lead in the month before the inspection and, except the last (悬挑式脚手架),
/// on the first day of the inspection's month; so target 5 is 3 / 4 with `MS-04` unassessed. It
/// takes no dice (the people are those already drawn), so the rest of the sample is as it was.
fn major_sources(parties: &[Party], safety_lead: &str, date: Date) -> Vec<MajorSource> {
    let responsible = parties
        .iter()
        .find(|party| party.role == PartyRole::Contractor)
        .map_or_else(String::new, |party| party.safety_lead.clone());
    let month_start = date.replace_day(1).expect("every month has a first day");
    let last_month = month_start - Duration::days(3);
    let assessment = |date: Date| RiskAssessment {
        date,
        by: safety_lead.to_owned(),
        note: "风险可控，监控措施落实，监测数据正常".to_owned(),
    };
    let sources = [
        (
            "基坑土方开挖及支护（开挖深度5.6米）",
            "深基坑",
            "《深基坑土方开挖及支护专项施工方案》，已组织专家论证",
            "基坑周边沉降和支护结构水平位移每日监测，雨后加测，专人巡查",
        ),
        (
            "地下室顶板高大模板支撑体系（搭设高度8.5米）",
            "高支模",
            "《高大模板支撑体系专项施工方案》，已组织专家论证",
            "浇筑混凝土期间监测支架变形和沉降，设专人看护，异常时停止浇筑",
        ),
        (
            "1#塔式起重机安装、使用和拆卸",
            "起重机械",
            "《塔式起重机安装拆卸专项施工方案》",
            "每日班前检查，每月专项检查，安全监控系统在线",
        ),
        (
            "悬挑式外脚手架（5层至18层）",
            "脚手架",
            "《悬挑式脚手架专项施工方案》",
            "每周检查悬挑梁锚固和连墙件，大风大雨后复查",
        ),
    ];
    let last = sources.len() - 1;
    sources
        .into_iter()
        .enumerate()
        .map(|(idx, (name, kind, plan, monitoring))| {
            let mut assessments = vec![assessment(last_month)];
            if idx != last {
                assessments.push(assessment(month_start));
            }
            MajorSource {
                id: format!("MS-{:02}", idx + 1),
                name: name.to_owned(),
                kind: kind.to_owned(),
                plan: plan.to_owned(),
                monitoring: monitoring.to_owned(),
                responsible: responsible.clone(),
                assessments,
            }
        })
        .collect()
}

/// Builds a sample bundle for `checklist`. The inspection is dated `date`; hazard histories run up
/// to that day, and some deadlines fall before it (overdue).
pub fn sample(
    checklist: &Checklist,
    checklist_source: Option<&str>,
    seed: u64,
    date: Date,
) -> Bundle {
    let mut rng = Rng(seed ^ 0x5A1C_4A00_0000_0000 ^ checklist.hash.0[0] as u64);
    let (region, address) = *rng.pick(&CITIES);
    let organisation = Organisation {
        name: enterprise_name(checklist.sector, &mut rng),
        credit_code: credit_code(&mut rng, region),
        address: format!("{address}{}号", 1 + rng.below(300)),
        legal_representative: person(&mut rng),
        safety_lead: person(&mut rng),
    };
    let project = (checklist.sector == Sector::Construction).then(|| {
        let name = format!(
            "{}安置房二期工程{}#楼",
            rng.pick(&["滨江", "新城", "东湖", "北苑"]),
            1 + rng.below(12)
        );
        let parties = [
            (PartyRole::Client, "城市建设投资集团有限公司"),
            (PartyRole::Design, "建筑设计研究院有限公司"),
            (PartyRole::Contractor, organisation.name.as_str()),
            (PartyRole::Supervisor, "工程监理咨询有限公司"),
        ]
        .into_iter()
        .map(|(role, name)| Party {
            role,
            name: name.to_owned(),
            safety_lead: person(&mut rng),
            credit_code: Some(credit_code(&mut rng, region)),
            title: String::new(),
            phone: String::new(),
        })
        .collect::<Vec<Party>>();
        let register = major_sources(&parties, &organisation.safety_lead, date);
        // The 表A header fields come from their own generator so that adding them left every
        // other draw of the sample (and the samples other tests count on) unchanged.
        let mut header_rng = Rng(seed ^ 0x7AB1_E0A0_0000_0000);
        Project {
            name,
            location: address.to_owned(),
            parties,
            floor_area_m2: format!("{}", 8_000 + 500 * header_rng.below(40)),
            structure_type: header_rng
                .pick(&["框架结构", "框架-剪力墙结构", "剪力墙结构"])
                .to_string(),
            project_manager: person(&mut header_rng),
            major_sources: register,
        }
    });

    let inspectors = vec![person(&mut rng), person(&mut rng)];
    let mut inspection = Inspection::new(
        format!(
            "INS-{}-{:04}",
            crate::dates::format_date(date),
            seed % 10_000
        ),
        checklist,
        date,
        inspectors.clone(),
    );
    // A site uses one or two scaffold types, not all of them: where more than two JGJ 59 sheets
    // feed one 汇总表 row (脚手架), the sample keeps the first and one other and declares the rest
    // absent (本工程无此项). Rows of two sheets keep both.
    for row in &checklist.jgj59_rows {
        let sheets: Vec<&str> = checklist
            .jgj59_sheets
            .iter()
            .filter(|sheet| sheet.row == row.id)
            .map(|sheet| sheet.id.as_str())
            .collect();
        if sheets.len() > 2 {
            let other = 1 + rng.below(sheets.len() - 1);
            for (idx, sheet) in sheets.iter().enumerate() {
                if idx != 0 && idx != other {
                    inspection.absent_sheets.push((*sheet).to_owned());
                }
            }
        }
    }
    let absent_items: Vec<&str> = checklist
        .sections
        .iter()
        .filter(|section| {
            section
                .sheet
                .as_deref()
                .is_some_and(|sheet| inspection.sheet_absent(sheet))
        })
        .flat_map(|section| section.items.iter().map(|item| item.id.as_str()))
        .collect();
    let present = |item: &&crate::checklist::Item| !absent_items.contains(&item.id.as_str());

    let mut answers = BTreeMap::new();
    let mut failed = Vec::new();
    // Each inspector answers every other section (谁排查、谁签字); the answers record who.
    let answerer = |section_idx: usize| inspectors[section_idx % inspectors.len()].clone();
    let section_of = |id: &str| {
        checklist
            .sections
            .iter()
            .position(|section| section.items.iter().any(|item| item.id == id))
            .unwrap_or(0)
    };
    for (section_idx, section) in checklist.sections.iter().enumerate() {
        for item in section.items.iter().filter(present) {
            let Some(response) = answer_for(item, section.group, &mut rng) else {
                continue;
            };
            let mut answer = Answer::new(response);
            answer.by = answerer(section_idx);
            if evaluate(item, &answer).failed {
                answer.note = format!(
                    "现场检查发现问题：{}",
                    hazard_description(item, Some(&answer.response))
                );
                failed.push(item);
            }
            answers.insert(item.id.clone(), answer);
        }
    }
    inspection.answers = answers;

    // 3–6 hazards from failed items. One 重大 item fails (where the checklist has any), so that the
    // sample shows 挂牌督办; more items fail when the dice were kind.
    let wanted = 3 + rng.below(4);
    let major: Vec<_> = checklist
        .items()
        .map(|(_, item)| item)
        .filter(present)
        .filter(|item| item.level == Level::Major && matches!(item.kind, ItemKind::Check))
        .collect();
    if !major.is_empty() {
        let item = *rng.pick(&major);
        let mut answer = Answer::new(Response::NonConform);
        answer.by = answerer(section_of(&item.id));
        answer.note = format!(
            "现场检查发现重大事故隐患：{}",
            hazard_description(item, Some(&answer.response))
        );
        inspection.answers.insert(item.id.clone(), answer);
        failed.insert(0, item);
    }
    let scored: Vec<_> = checklist
        .items()
        .map(|(_, item)| item)
        .filter(present)
        .filter(|item| matches!(item.kind, ItemKind::Check))
        .collect();
    // A small checklist (an imported one) may have fewer check items than wanted: no more can
    // fail than there are. (Picking stays as before, so samples of larger checklists do not change.)
    let available = scored
        .iter()
        .filter(|item| !failed.iter().any(|f| f.id == item.id))
        .count();
    let wanted = wanted.min(failed.len() + available);
    while failed.len() < wanted && !scored.is_empty() {
        let item = *rng.pick(&scored);
        if failed.iter().any(|f| f.id == item.id) {
            continue;
        }
        let mut answer = Answer::new(Response::NonConform);
        answer.by = answerer(section_of(&item.id));
        answer.note = format!(
            "现场检查发现问题：{}",
            hazard_description(item, Some(&answer.response))
        );
        inspection.answers.insert(item.id.clone(), answer);
        failed.push(item);
    }

    let mut hazards = Vec::new();
    let places = [
        "1#楼东侧",
        "生产车间二层",
        "仓库A区",
        "配电房",
        "场区北门",
        "办公楼三层",
        "作业面B段",
    ];
    let statuses = [
        Status::InProgress,
        Status::Closed,
        Status::AwaitingVerification,
        Status::Pending,
        Status::Closed,
        Status::InProgress,
    ];
    for (idx, item) in failed.iter().take(wanted).enumerate() {
        let found_at = date;
        let response = inspection
            .answers
            .get(&item.id)
            .map(|answer| &answer.response);
        let mut hazard = Hazard::from_item(
            format!("H-{}-{:03}", date.year(), idx + 1),
            item,
            response,
            inspectors[idx % inspectors.len()].clone(),
            found_at,
        );
        hazard.location = rng.pick(&places).to_string();
        hazard.rectification.measures =
            format!("按{}要求立即整改，整改完成后组织复查", item.clause);
        hazard.rectification.responsible = person(&mut rng);
        // One hazard in four has a deadline already passed (overdue once the ledger is read later).
        let days = if idx % 4 == 3 {
            -3
        } else {
            7 + rng.below(21) as i64
        };
        hazard.rectification.deadline = Some(date + Duration::days(days));
        // The new fields (issue 11 §8) take no dice, so that the rest of the sample stays as it was.
        hazard.rectification.acceptance_standard = format!("达到{}的规定，复查合格", item.clause);
        hazard.rectification.interim_measures =
            "设置警示标志和隔离设施，专人看护，整改完成前该部位停止作业".to_owned();
        if item.level == Level::Major {
            hazard.rectification.funds_yuan = Some(5_000 * (1 + rng.below(20) as u64));
            hazard.rectification.plan =
                "设置警戒区，撤出危险区域作业人员，专人监护，制定专项应急预案".to_owned();
            hazard.governance_plan = GovernancePlan {
                goals_and_tasks: format!("消除{}所述隐患，达到验收标准", hazard.id),
                methods_and_measures: hazard.rectification.measures.clone(),
                funds_and_materials: "安全生产费用列支，所需材料由物资部门当日调配".to_owned(),
                organisation_and_people: format!(
                    "本单位安全生产领导小组负责，{}具体实施",
                    hazard.rectification.responsible
                ),
                schedule_and_requirements: format!(
                    "{}前完成整改并申请验收",
                    crate::dates::format_date(date + Duration::days(days))
                ),
                safety_and_emergency: hazard.rectification.plan.clone(),
            };
            hazard.supervision = Some(Supervision {
                authority: "县安全生产委员会办公室".to_owned(),
                level: SupervisionLevel::County,
                document_no: format!("安委办督〔{}〕{:02}号", date.year(), idx + 1),
                deadline: hazard.rectification.deadline,
                delisted_on: None,
                delisted_by: String::new(),
            });
        }
        // 验收 by someone other than who rectified it (the responsible person submits it).
        let verifier = [&inspectors[0], &inspectors[1], &organisation.safety_lead]
            .into_iter()
            .find(|name| **name != hazard.rectification.responsible)
            .cloned()
            .unwrap_or_else(|| "安全管理部门负责人".to_owned());
        let target = statuses[idx % statuses.len()];
        // An overdue hazard stays open.
        let target = if days < 0 && target == Status::Closed {
            Status::InProgress
        } else {
            target
        };
        let mut at = OffsetDateTime::new_utc(date, Time::from_hms(9, 0, 0).expect("valid time"));
        let steps = target.path_from_pending();
        for (to, passed) in steps {
            at += Duration::hours(1 + rng.below(5) as i64);
            let by = if passed.is_some() {
                verifier.clone()
            } else {
                hazard.rectification.responsible.clone()
            };
            let note = match to {
                Status::InProgress => "已落实整改措施、资金、期限、责任人和预案，开始整改",
                Status::AwaitingVerification => "整改完成，申请验收",
                _ => "现场复查合格，予以销号",
            };
            if *to == Status::Closed && item.level == Level::Major {
                hazard.closure = Closure {
                    evaluation: "整改措施全部落实，复查合格，隐患已消除".to_owned(),
                    reported_on: Some(at.date()),
                    reported_to: "县安全生产委员会办公室".to_owned(),
                };
                if let Some(supervision) = &mut hazard.supervision {
                    supervision.delisted_on = Some(at.date());
                    supervision.delisted_by = "县安全生产委员会办公室".to_owned();
                }
            }
            hazard
                .transition(*to, &by, at, note, *passed)
                .expect("the sample follows the legal path");
        }
        hazards.push(hazard);
    }

    Bundle {
        data: BundleData {
            schema_version: SCHEMA_VERSION,
            organisation,
            project,
            inspection,
            hazards,
            photos: Vec::new(),
        },
        photos: BTreeMap::new(),
        checklist_source: checklist_source.map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A checklist with two check items, fewer than the 3–6 hazards a sample wants: the sample
    /// fails both and stops (it looped for ever before).
    #[test]
    fn a_checklist_with_few_items_gives_a_sample() {
        let source = r#"
format = 1
id = "tiny"
version = "1"
sector = "generic"
title_zh = "小表"
title_en = "Tiny"

[[standards]]
code = "企业自定"
title = "企业自定"

[[sections]]
id = "s"
title_zh = "部分"
max_points = 10

[[sections.items]]
id = "a"
text_zh = "通道畅通"
hazard_zh = "通道堵塞"
kind = "check"
points = 5
clause = "企业自定"
verified = false

[[sections.items]]
id = "b"
text_zh = "灭火器有效"
hazard_zh = "灭火器过期"
kind = "check"
points = 5
clause = "企业自定"
verified = false
"#;
        let (checklist, problems) = crate::checklist::parse(source);
        assert!(problems.is_empty(), "{problems:?}");
        let checklist = checklist.unwrap();
        for seed in 1..20 {
            let bundle = sample(&checklist, Some(source), seed, time::Date::MIN);
            let failed = bundle
                .data
                .inspection
                .answers
                .values()
                .filter(|answer| answer.response == crate::inspection::Response::NonConform)
                .count();
            assert!(failed <= 2, "seed {seed}: {failed}");
            assert_eq!(bundle.data.hazards.len(), failed, "seed {seed}");
        }
    }
}
