//! The records of one hazard besides its history: the 类别, the 五定 rectification plan, the
//! six-part 治理方案 of a 重大 hazard, the 挂牌督办 record and the 销号 record. The rules that tie
//! them to the status machine are in `ledger.rs`.

use serde::{Deserialize, Serialize};
use time::Date;

/// 隐患类别: what kind of cause the hazard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    /// 人的不安全行为.
    #[serde(rename = "人的不安全行为")]
    UnsafeAct,
    /// 物的不安全状态.
    #[serde(rename = "物的不安全状态")]
    UnsafeCondition,
    /// 管理缺陷.
    #[serde(rename = "管理缺陷")]
    ManagementDefect,
    /// 环境因素.
    #[serde(rename = "环境因素")]
    Environment,
}

impl Category {
    /// Every category in order.
    pub const ALL: [Category; 4] = [
        Category::UnsafeAct,
        Category::UnsafeCondition,
        Category::ManagementDefect,
        Category::Environment,
    ];

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            Category::UnsafeAct => "人的不安全行为",
            Category::UnsafeCondition => "物的不安全状态",
            Category::ManagementDefect => "管理缺陷",
            Category::Environment => "环境因素",
        }
    }

    /// The English name.
    pub fn en(self) -> &'static str {
        match self {
            Category::UnsafeAct => "unsafe act",
            Category::UnsafeCondition => "unsafe condition",
            Category::ManagementDefect => "management defect",
            Category::Environment => "environment",
        }
    }
}

/// The 五定 rectification plan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Rectification {
    /// 整改措施 (定措施).
    #[serde(default)]
    pub measures: String,
    /// 验收标准 (定标准): what the rectified state must be for 验收 to pass.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub acceptance_standard: String,
    /// 整改资金, in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funds_yuan: Option<u64>,
    /// 整改期限.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::dates::iso_date::option"
    )]
    pub deadline: Option<Date>,
    /// 整改责任人.
    #[serde(default)]
    pub responsible: String,
    /// 应急预案 / 安全措施 while the hazard exists.
    #[serde(default)]
    pub plan: String,
    /// 临时管控措施: what keeps people safe until the hazard is removed (警戒、撤人、监护…); every
    /// hazard that is not fixed on the spot records them before rectification starts.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub interim_measures: String,
}

/// A 重大 hazard's 治理方案 in its six parts (as local rules on 重大事故隐患 治理 word them). All
/// text; a 重大 hazard does not leave 待整改 before every part is filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernancePlan {
    /// 目标和任务.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub goals_and_tasks: String,
    /// 方法和措施.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub methods_and_measures: String,
    /// 经费和物资.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub funds_and_materials: String,
    /// 负责机构和人员.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub organisation_and_people: String,
    /// 时限和要求.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub schedule_and_requirements: String,
    /// 安全措施和应急预案.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub safety_and_emergency: String,
}

impl GovernancePlan {
    /// The six parts in order: field name (as in JSON), Chinese title, text.
    pub fn parts(&self) -> [(&'static str, &'static str, &str); 6] {
        [
            ("goals_and_tasks", "目标和任务", &self.goals_and_tasks),
            (
                "methods_and_measures",
                "方法和措施",
                &self.methods_and_measures,
            ),
            (
                "funds_and_materials",
                "经费和物资",
                &self.funds_and_materials,
            ),
            (
                "organisation_and_people",
                "负责机构和人员",
                &self.organisation_and_people,
            ),
            (
                "schedule_and_requirements",
                "时限和要求",
                &self.schedule_and_requirements,
            ),
            (
                "safety_and_emergency",
                "安全措施和应急预案",
                &self.safety_and_emergency,
            ),
        ]
    }

    /// No part is filled in (a hazard without a 治理方案, e.g. one recorded before there was one).
    pub fn is_empty(&self) -> bool {
        self.parts()
            .iter()
            .all(|(_, _, text)| text.trim().is_empty())
    }

    /// The parts still empty, as `governance_plan.<field>`.
    pub fn missing(&self) -> Vec<&'static str> {
        const FIELDS: [&str; 6] = [
            "governance_plan.goals_and_tasks",
            "governance_plan.methods_and_measures",
            "governance_plan.funds_and_materials",
            "governance_plan.organisation_and_people",
            "governance_plan.schedule_and_requirements",
            "governance_plan.safety_and_emergency",
        ];
        self.parts()
            .iter()
            .zip(FIELDS)
            .filter(|((_, _, text), _)| text.trim().is_empty())
            .map(|(_, field)| field)
            .collect()
    }
}

/// The level of the authority that put a hazard under 挂牌督办.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum SupervisionLevel {
    /// 市级.
    #[serde(rename = "市级")]
    City,
    /// 县级.
    #[serde(rename = "县级")]
    County,
}

impl SupervisionLevel {
    /// Both levels in order.
    pub const ALL: [SupervisionLevel; 2] = [SupervisionLevel::City, SupervisionLevel::County];

    /// The Chinese name.
    pub fn zh(self) -> &'static str {
        match self {
            SupervisionLevel::City => "市级",
            SupervisionLevel::County => "县级",
        }
    }
}

/// 挂牌督办: who supervises the rectification of a hazard, and its 摘牌 (lifting of the listing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Supervision {
    /// 督办单位.
    pub authority: String,
    /// 市级 or 县级.
    pub level: SupervisionLevel,
    /// 督办文号.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub document_no: String,
    /// 督办期限.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::dates::iso_date::option"
    )]
    pub deadline: Option<Date>,
    /// 摘牌日期.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::dates::iso_date::option"
    )]
    pub delisted_on: Option<Date>,
    /// Who lifted the listing (摘牌单位或人员).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub delisted_by: String,
}

/// The 销号 record of a 重大 hazard: the 治理效果评估 and the report to the regulator. Required
/// before a 重大 hazard is closed; a 一般 hazard may carry one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closure {
    /// 治理效果评估.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub evaluation: String,
    /// When the result was reported to the regulator.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::dates::iso_date::option"
    )]
    pub reported_on: Option<Date>,
    /// To whom (the regulator, e.g. 县应急管理局).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reported_to: String,
}

impl Closure {
    /// Nothing filled in.
    pub fn is_empty(&self) -> bool {
        self.evaluation.trim().is_empty()
            && self.reported_on.is_none()
            && self.reported_to.trim().is_empty()
    }

    /// The fields still empty, as `closure.<field>`.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut missing = Vec::new();
        if self.evaluation.trim().is_empty() {
            missing.push("closure.evaluation");
        }
        if self.reported_on.is_none() {
            missing.push("closure.reported_on");
        }
        if self.reported_to.trim().is_empty() {
            missing.push("closure.reported_to");
        }
        missing
    }
}
