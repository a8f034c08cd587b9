//! Checklists: the schema, parsing from TOML text with positions, and the semantic lint.
//!
//! The file format is documented in `checklists/README.md`. [`parse`] never stops at the first
//! problem: it returns every syntax, structure and lint problem with its line and column.
//!
//! The schema types are serde types too: [`to_json`] writes a checklist that parsed and linted
//! without a problem as JSON at build time (crates/prebuild), and [`from_json`] reads it back, so
//! that the browser app links neither the TOML parser nor the lint.

mod json;
mod lint;
mod parse;
pub mod sources;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::hash::Sha256;

pub(crate) use json::json_problem;
pub use json::{from_json, to_json};
pub use parse::content_hash;
pub use parse::{parse, parse_file, parse_recorded};

/// The clause of an enterprise's own item, which no standard requires (imported checklists): the
/// lint accepts it in place of a declared standard's code, except on a 重大 item.
pub const OWN_CLAUSE: &str = "企业自定";

/// The checklist file format this build reads.
pub const FORMAT: i64 = 1;

/// One problem in a checklist file, at a 1-based line and column (columns count characters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, lower case, naming the field.
    pub message: String,
}

impl Problem {
    /// Formats the problem as `path:line:col: message`.
    pub fn display_with<'a>(&'a self, path: &'a str) -> impl fmt::Display + 'a {
        struct WithPath<'a>(&'a str, &'a Problem);
        impl fmt::Display for WithPath<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(
                    f,
                    "{}:{}:{}: {}",
                    self.0, self.1.line, self.1.column, self.1.message
                )
            }
        }
        WithPath(path, self)
    }
}

/// A sector checklist, as loaded from `checklists/<id>.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Checklist {
    /// Stable id, equal to the file name.
    pub id: String,
    /// The checklist's own version.
    pub version: String,
    /// SHA-256 of the file text (line endings normalised to LF).
    pub hash: Sha256,
    /// The sector.
    pub sector: Sector,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// How the checklist is scored.
    pub scoring: Scoring,
    /// The standards the items cite.
    pub standards: Vec<Standard>,
    /// JGJ 59-2011 汇总表 rows (only with [`Scoring::Jgj59`]).
    pub jgj59_rows: Vec<Jgj59Row>,
    /// JGJ 59-2011 分项检查评分表 (only with [`Scoring::Jgj59`]).
    pub jgj59_sheets: Vec<Jgj59Sheet>,
    /// The sections, in file order.
    pub sections: Vec<Section>,
}

impl Checklist {
    /// All items with the index of their section, in file order.
    pub fn items(&self) -> impl Iterator<Item = (usize, &Item)> {
        self.sections
            .iter()
            .enumerate()
            .flat_map(|(section_idx, section)| {
                section.items.iter().map(move |item| (section_idx, item))
            })
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Option<&Item> {
        self.items()
            .map(|(_, item)| item)
            .find(|item| item.id == id)
    }

    /// The item with this id and the group of its section (保证项目 / 一般项目, where the standard
    /// splits a sheet).
    pub fn item_with_group(&self, id: &str) -> Option<(Option<Group>, &Item)> {
        self.sections.iter().find_map(|section| {
            let item = section.items.iter().find(|item| item.id == id)?;
            Some((section.group, item))
        })
    }

    /// The JGJ 59 sheet with this id.
    pub fn sheet(&self, id: &str) -> Option<&Jgj59Sheet> {
        self.jgj59_sheets.iter().find(|sheet| sheet.id == id)
    }

    /// The number of items.
    pub fn item_count(&self) -> usize {
        self.sections
            .iter()
            .map(|section| section.items.len())
            .sum()
    }

    /// The number of items whose failure is a 重大 hazard.
    pub fn major_item_count(&self) -> usize {
        self.items()
            .filter(|(_, item)| item.level == Level::Major)
            .count()
    }

    /// The number of items checked against the official text.
    pub fn verified_item_count(&self) -> usize {
        self.items().filter(|(_, item)| item.verified).count()
    }

    /// A reference to this checklist for an inspection.
    pub fn reference(&self) -> ChecklistRef {
        ChecklistRef {
            id: self.id.clone(),
            version: self.version.clone(),
            hash: self.hash,
        }
    }
}

/// What an inspection records about its checklist: id, version and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistRef {
    /// Checklist id.
    pub id: String,
    /// Checklist version.
    pub version: String,
    /// SHA-256 of the checklist file.
    pub hash: Sha256,
}

/// A standard the checklist follows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standard {
    /// How clauses cite it, e.g. `JGJ 59-2011`.
    pub code: String,
    /// Full title.
    pub title: String,
    /// When it took effect, `YYYY-MM-DD`, when known.
    pub effective: Option<String>,
    /// A 重大事故隐患判定标准 (or 判定准则/清单): the only kind of standard a 重大 item may cite.
    #[serde(default)]
    pub judgement: bool,
}

/// A row of the JGJ 59-2011 汇总表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jgj59Row {
    /// Row id.
    pub id: String,
    /// Chinese title, e.g. 安全管理.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// Full marks of the row in the 汇总表.
    pub weight: f64,
}

/// A JGJ 59-2011 分项检查评分表.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Jgj59Sheet {
    /// Sheet id, e.g. `B.1`.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title.
    pub title_en: String,
    /// The 汇总表 row it feeds.
    pub row: String,
}

/// How a checklist is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scoring {
    /// Points obtained over points of the checked items, as a percentage.
    Points,
    /// JGJ 59-2011: score sheets, the 保证项目 gate, the 汇总表 and a grade.
    Jgj59,
}

/// 保证项目 or 一般项目.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Group {
    /// 保证项目.
    #[serde(rename = "保证项目")]
    Guarantee,
    /// 一般项目.
    #[serde(rename = "一般项目")]
    General,
}

impl Group {
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Group::Guarantee => "保证项目",
            Group::General => "一般项目",
        }
    }
}

/// A section of a checklist.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// Section id.
    pub id: String,
    /// Chinese title.
    pub title_zh: String,
    /// English title (may be empty).
    pub title_en: String,
    /// Sum of the items' points.
    pub max_points: f64,
    /// 保证项目 / 一般项目, where the standard splits a sheet.
    pub group: Option<Group>,
    /// The JGJ 59 sheet the section belongs to.
    pub sheet: Option<String>,
    /// Items in file order.
    pub items: Vec<Item>,
}

/// How an item is answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ItemKind {
    /// 符合 / 不符合 / 不适用.
    Check,
    /// Points off by the listed deductions.
    Deduction(Vec<Deduction>),
    /// A number within an allowed range.
    Measurement {
        /// Unit, e.g. `m`.
        unit: String,
        /// Lowest allowed value.
        min: Option<f64>,
        /// Highest allowed value.
        max: Option<f64>,
    },
    /// Free text.
    Text,
    /// A photo as evidence.
    Photo,
}

impl ItemKind {
    /// The kind's name in the file format.
    pub fn name(&self) -> &'static str {
        match self {
            ItemKind::Check => "check",
            ItemKind::Deduction(_) => "deduction",
            ItemKind::Measurement { .. } => "measurement",
            ItemKind::Text => "text",
            ItemKind::Photo => "photo",
        }
    }
}

/// One deduction rule (扣分标准) of a deduction item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    /// The failing condition.
    pub text: String,
    /// Least points off.
    pub min: f64,
    /// Most points off (per instance when `per` is set).
    pub max: f64,
    /// The unit when it applies per instance (人, 处).
    pub per: Option<String>,
}

/// Why an applied deduction does not fit its rule (see [`Deduction::check`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DeductionProblem {
    /// The points off are not a number within `min..=max`.
    PointsOutOfRange {
        /// The rule's least points off.
        min: f64,
        /// The rule's most points off.
        max: f64,
    },
    /// Zero instances, or more than one for a rule that is not per instance.
    CountNotAllowed,
}

impl Deduction {
    /// Checks `points` off for `count` instances against this rule: the one place the rule's
    /// range is enforced (answer validation words it for files, the app for its user).
    pub fn check(&self, points: f64, count: u32) -> Result<(), DeductionProblem> {
        if !points.is_finite() || points < self.min || points > self.max {
            return Err(DeductionProblem::PointsOutOfRange {
                min: self.min,
                max: self.max,
            });
        }
        if count == 0 || (count > 1 && self.per.is_none()) {
            return Err(DeductionProblem::CountNotAllowed);
        }
        Ok(())
    }
}

/// Hazard level: 一般 or 重大.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Level {
    /// 一般事故隐患.
    #[serde(rename = "一般")]
    General,
    /// 重大事故隐患.
    #[serde(rename = "重大")]
    Major,
}

impl Level {
    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Level::General => "一般",
            Level::Major => "重大",
        }
    }
}

/// A tag on an item.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Feeds a five 100% target.
    Five100(Target),
    /// A failure is a stop-work trigger.
    StopWork,
    /// A criterion of a 重大事故隐患判定标准.
    Judgement,
    /// Applies to 九小场所.
    NineSmall,
    /// Free grouping.
    Topic(String),
}

impl Tag {
    /// Parses a tag as written in a checklist file.
    pub fn parse(text: &str) -> Option<Tag> {
        if let Some(target) = text.strip_prefix("five100:") {
            return Target::ALL
                .into_iter()
                .find(|t| t.key() == target)
                .map(Tag::Five100);
        }
        if let Some(topic) = text.strip_prefix("topic:") {
            let ok = !topic.is_empty()
                && topic
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            return ok.then(|| Tag::Topic(topic.to_owned()));
        }
        match text {
            "stop-work" => Some(Tag::StopWork),
            "judgement" => Some(Tag::Judgement),
            "nine-small" => Some(Tag::NineSmall),
            _ => None,
        }
    }
}

/// A tag is written as in a checklist file (`five100:rules`, `topic:scaffold`).
impl Serialize for Tag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Tag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Tag::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown tag {text:?}")))
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Tag::Five100(target) => write!(f, "five100:{}", target.key()),
            Tag::StopWork => f.write_str("stop-work"),
            Tag::Judgement => f.write_str("judgement"),
            Tag::NineSmall => f.write_str("nine-small"),
            Tag::Topic(topic) => write!(f, "topic:{topic}"),
        }
    }
}

/// The five 100% targets for projects under construction (在建工程项目"五个100%").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// 1. 各方安全生产主体责任落实率.
    Responsibility,
    /// 2. 安全监管主体责任落实率.
    Supervision,
    /// 3. 安全生产规章制度建立执行率.
    Rules,
    /// 4. 隐患排查治理率.
    Hazards,
    /// 5. 重大危险源监控管理和每月风险评估率.
    MajorSources,
}

impl Target {
    /// The five targets in order.
    pub const ALL: [Target; 5] = [
        Target::Responsibility,
        Target::Supervision,
        Target::Rules,
        Target::Hazards,
        Target::MajorSources,
    ];

    /// The key used in tags and JSON.
    pub fn key(self) -> &'static str {
        match self {
            Target::Responsibility => "responsibility",
            Target::Supervision => "supervision",
            Target::Rules => "rules",
            Target::Hazards => "hazards",
            Target::MajorSources => "major-sources",
        }
    }

    /// The Chinese name of the rate.
    pub fn zh(self) -> &'static str {
        match self {
            Target::Responsibility => "建设、设计、施工、监理等各方安全生产主体责任落实率",
            Target::Supervision => "安全监管主体责任落实率",
            Target::Rules => "安全生产各项规章制度建立执行率",
            Target::Hazards => "隐患排查治理率",
            Target::MajorSources => "重大危险源监控管理和每月风险评估率",
        }
    }
}

/// A checklist item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    /// Stable id; answers are keyed by it.
    pub id: String,
    /// What to check, in Chinese: the compliant state.
    pub text_zh: String,
    /// What was found when the item fails, in Chinese ("…未…", "…不…", "…超过…"); required on
    /// scored or 重大 `check` and `measurement` items, empty on `deduction` items (their hazard is
    /// made of the deductions applied, see [`crate::ledger::hazard_description`]).
    #[serde(default)]
    pub hazard_zh: String,
    /// English text (may be empty).
    pub text_en: String,
    /// How it is answered.
    pub kind: ItemKind,
    /// Full marks (应得分).
    pub points: f64,
    /// Hazard level when the item fails.
    pub level: Level,
    /// Source clause.
    pub clause: String,
    /// How to check it on site.
    pub guidance: String,
    /// How to check it on site, in English (may be empty).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guidance_en: String,
    /// Tags.
    pub tags: Vec<Tag>,
    /// Checked against the official text.
    pub verified: bool,
    /// On a 保证项目 item only: the site condition under which the item does not exist (e.g. only one
    /// tower crane, so no 多塔作业). JGJ 59-2011 4.0.1 has every 保证项目 checked, so such an item may
    /// be answered 不适用 only when this is set, and then with the inspector's reason
    /// ([`crate::inspection::Answer::reason`]). Empty on every other item.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub absent_if: String,
}

impl Item {
    /// Whether the item carries `tag`.
    pub fn has_tag(&self, tag: &Tag) -> bool {
        self.tags.contains(tag)
    }

    /// The item's short title: `text_zh` up to the first `：` (the JGJ 59 检查项目 name), or all of it.
    pub fn title_zh(&self) -> &str {
        self.text_zh
            .split_once('：')
            .map_or(self.text_zh.as_str(), |(title, _)| title)
    }
}

/// The sector a checklist belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sector {
    /// 建筑施工.
    Construction,
    /// 煤矿.
    CoalMine,
    /// 金属非金属矿山与尾矿库.
    MetalMine,
    /// 危险化学品.
    HazardousChemicals,
    /// 烟花爆竹与民用爆炸物品.
    FireworksExplosives,
    /// 道路运输.
    RoadTransport,
    /// 水上交通.
    WaterTransport,
    /// 消防 (人员密集场所、九小场所).
    FireSafety,
    /// 城镇燃气.
    CityGas,
    /// 特种设备.
    SpecialEquipment,
    /// 校园.
    School,
    /// 工贸行业.
    IndustryTrade,
    /// 地质灾害.
    GeologicalHazard,
    /// 加油加气站.
    GasStation,
    /// 公路水运工程.
    HighwayWaterway,
    /// 水利工程.
    WaterConservancy,
    /// 电力.
    Power,
    /// 养老机构.
    ElderlyCare,
    /// 医疗机构.
    Medical,
    /// 渔业船舶.
    FishingVessel,
    /// 旅游景区与大型活动.
    Tourism,
    /// 油气长输管道.
    OilGasPipeline,
    /// 通用 (GB/T 33000).
    Generic,
}

impl Sector {
    /// Every sector.
    pub const ALL: [Sector; 23] = [
        Sector::Construction,
        Sector::CoalMine,
        Sector::MetalMine,
        Sector::HazardousChemicals,
        Sector::FireworksExplosives,
        Sector::RoadTransport,
        Sector::WaterTransport,
        Sector::FireSafety,
        Sector::CityGas,
        Sector::SpecialEquipment,
        Sector::School,
        Sector::IndustryTrade,
        Sector::GeologicalHazard,
        Sector::GasStation,
        Sector::HighwayWaterway,
        Sector::WaterConservancy,
        Sector::Power,
        Sector::ElderlyCare,
        Sector::Medical,
        Sector::FishingVessel,
        Sector::Tourism,
        Sector::OilGasPipeline,
        Sector::Generic,
    ];

    /// The key used in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Sector::Construction => "construction",
            Sector::CoalMine => "coal-mine",
            Sector::MetalMine => "metal-mine",
            Sector::HazardousChemicals => "hazardous-chemicals",
            Sector::FireworksExplosives => "fireworks-explosives",
            Sector::RoadTransport => "road-transport",
            Sector::WaterTransport => "water-transport",
            Sector::FireSafety => "fire-safety",
            Sector::CityGas => "city-gas",
            Sector::SpecialEquipment => "special-equipment",
            Sector::School => "school",
            Sector::IndustryTrade => "industry-trade",
            Sector::GeologicalHazard => "geological-hazard",
            Sector::GasStation => "gas-station",
            Sector::HighwayWaterway => "highway-waterway",
            Sector::WaterConservancy => "water-conservancy",
            Sector::Power => "power",
            Sector::ElderlyCare => "elderly-care",
            Sector::Medical => "medical",
            Sector::FishingVessel => "fishing-vessel",
            Sector::Tourism => "tourism",
            Sector::OilGasPipeline => "oil-gas-pipeline",
            Sector::Generic => "generic",
        }
    }

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Sector::Construction => "建筑施工",
            Sector::CoalMine => "煤矿",
            Sector::MetalMine => "金属非金属矿山",
            Sector::HazardousChemicals => "危险化学品",
            Sector::FireworksExplosives => "烟花爆竹与民爆物品",
            Sector::RoadTransport => "道路运输",
            Sector::WaterTransport => "水上交通",
            Sector::FireSafety => "消防安全",
            Sector::CityGas => "城镇燃气",
            Sector::SpecialEquipment => "特种设备",
            Sector::School => "校园安全",
            Sector::IndustryTrade => "工贸行业",
            Sector::GeologicalHazard => "地质灾害",
            Sector::GasStation => "加油加气站",
            Sector::HighwayWaterway => "公路水运工程",
            Sector::WaterConservancy => "水利工程",
            Sector::Power => "电力",
            Sector::ElderlyCare => "养老机构",
            Sector::Medical => "医疗机构",
            Sector::FishingVessel => "渔业船舶",
            Sector::Tourism => "旅游景区与大型活动",
            Sector::OilGasPipeline => "油气长输管道",
            Sector::Generic => "通用",
        }
    }

    /// Parses a sector key.
    pub fn parse(key: &str) -> Option<Sector> {
        Sector::ALL.into_iter().find(|sector| sector.key() == key)
    }
}
