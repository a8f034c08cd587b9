//! The enterprise and its projects: 统一社会信用代码 (GB 32100-2015) validation, organisation and
//! project records with their parties and the project's register of 重大危险源 / 危大工程 with
//! their monthly risk assessments (five 100% target 5).

use std::fmt;

use serde::{Deserialize, Serialize};
use time::{Date, Month};

/// The 31 characters a 统一社会信用代码 may use (GB 32100-2015 表1): digits and capital letters
/// without I, O, Z, S and V. A character's value is its index here.
const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17: 3^(i) mod 31 (GB 32100-2015 附录).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Why a 统一社会信用代码 is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CreditCodeError {
    /// The code does not have 18 characters.
    Length {
        /// Characters found.
        found: usize,
    },
    /// A character outside the code's alphabet.
    Character {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
    /// Positions 3–8 (the administrative division code) must be digits.
    Region {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The 18th character does not match positions 1–17.
    Check {
        /// The check character found.
        found: char,
        /// The check character positions 1–17 require.
        expected: char,
    },
}

impl CreditCodeError {
    /// The message in Chinese, for the app.
    pub fn zh(&self) -> String {
        match self {
            CreditCodeError::Length { found } => {
                format!("统一社会信用代码应为18位，当前为{found}位")
            }
            CreditCodeError::Character { position, found } => {
                format!("第{position}位字符“{found}”无效（代码不使用 I、O、Z、S、V）")
            }
            CreditCodeError::Region { position, found } => {
                format!("第{position}位应为数字（第3–8位为行政区划码），当前为“{found}”")
            }
            CreditCodeError::Check { found, expected } => {
                format!("校验码错误：第18位为“{found}”，按前17位应为“{expected}”")
            }
        }
    }
}

impl fmt::Display for CreditCodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CreditCodeError::Length { found } => {
                write!(
                    f,
                    "a unified social credit code has 18 characters, found {found}"
                )
            }
            CreditCodeError::Character { position, found } => write!(
                f,
                "character {found:?} at position {position} is not allowed (the code never uses I, O, Z, S, V)"
            ),
            CreditCodeError::Region { position, found } => write!(
                f,
                "position {position} must be a digit (positions 3-8 are the administrative division code), found {found:?}"
            ),
            CreditCodeError::Check { found, expected } => {
                write!(f, "check character is {found:?}, expected {expected:?}")
            }
        }
    }
}

impl std::error::Error for CreditCodeError {}

/// The check character (position 18) for the first 17 characters, or `None` when they contain a
/// character outside the alphabet.
pub fn credit_code_check_char(first17: &str) -> Option<char> {
    let mut sum = 0;
    let mut count = 0;
    for (c, weight) in first17.chars().zip(WEIGHTS) {
        sum += CHARSET.find(c)? as u32 * weight;
        count += 1;
    }
    if count != 17 || first17.chars().count() != 17 {
        return None;
    }
    let value = (31 - sum % 31) % 31;
    CHARSET.chars().nth(value as usize)
}

/// Validates a 统一社会信用代码 (GB 32100-2015) and returns it normalised: trimmed, upper case.
/// Only ASCII letters are upper-cased (the code's alphabet is ASCII): any other character is
/// reported as it was typed.
pub fn validate_credit_code(code: &str) -> Result<String, CreditCodeError> {
    let normalised = code.trim().to_ascii_uppercase();
    let chars: Vec<char> = normalised.chars().collect();
    if chars.len() != 18 {
        return Err(CreditCodeError::Length { found: chars.len() });
    }
    for (idx, &c) in chars.iter().enumerate() {
        if !CHARSET.contains(c) {
            return Err(CreditCodeError::Character {
                position: idx + 1,
                found: c,
            });
        }
    }
    for (idx, &c) in chars.iter().enumerate().take(8).skip(2) {
        if !c.is_ascii_digit() {
            return Err(CreditCodeError::Region {
                position: idx + 1,
                found: c,
            });
        }
    }
    let first17: String = chars[..17].iter().collect();
    let expected = credit_code_check_char(&first17).expect("all 17 characters are in the alphabet");
    if chars[17] != expected {
        return Err(CreditCodeError::Check {
            found: chars[17],
            expected,
        });
    }
    Ok(normalised)
}

/// The enterprise doing the self-inspection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Registered name.
    pub name: String,
    /// 统一社会信用代码.
    pub credit_code: String,
    /// Address.
    #[serde(default)]
    pub address: String,
    /// 法定代表人.
    #[serde(default)]
    pub legal_representative: String,
    /// 安全生产负责人 / 安全管理负责人.
    #[serde(default)]
    pub safety_lead: String,
}

impl Organisation {
    /// Checks the fields a report needs; names the first bad field.
    pub fn validate(&self) -> crate::Result<()> {
        if self.name.trim().is_empty() {
            return Err(crate::Error::invalid(
                "organisation.name",
                "must not be empty",
            ));
        }
        validate_credit_code(&self.credit_code).map_err(|error| {
            crate::Error::invalid("organisation.credit_code", error.to_string())
        })?;
        Ok(())
    }
}

/// A party's role in a construction project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PartyRole {
    /// 建设单位.
    #[serde(rename = "建设")]
    Client,
    /// 勘察单位.
    #[serde(rename = "勘察")]
    Survey,
    /// 设计单位.
    #[serde(rename = "设计")]
    Design,
    /// 施工单位.
    #[serde(rename = "施工")]
    Contractor,
    /// 监理单位.
    #[serde(rename = "监理")]
    Supervisor,
}

impl PartyRole {
    /// The Chinese name of the unit, e.g. 建设单位.
    pub fn zh(self) -> &'static str {
        match self {
            PartyRole::Client => "建设单位",
            PartyRole::Survey => "勘察单位",
            PartyRole::Design => "设计单位",
            PartyRole::Contractor => "施工单位",
            PartyRole::Supervisor => "监理单位",
        }
    }
}

/// One party (unit) of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    /// Role.
    pub role: PartyRole,
    /// Unit name.
    pub name: String,
    /// The unit's safety lead on this project.
    #[serde(default)]
    pub safety_lead: String,
    /// The unit's 统一社会信用代码, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_code: Option<String>,
    /// The position of the person who signs for the unit (`safety_lead`), e.g. 总监理工程师.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// That person's phone number, as typed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
}

/// A project (for construction: the 在建工程项目).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Project name.
    pub name: String,
    /// Location.
    #[serde(default)]
    pub location: String,
    /// Parties: 建设、设计、施工、监理 units.
    #[serde(default)]
    pub parties: Vec<Party>,
    /// 建筑面积 in m², as written on the JGJ 59-2011 表A header (text, so that "12,500" or a range
    /// typed by the user stays as typed).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub floor_area_m2: String,
    /// 结构类型, e.g. 框架结构, 框架-剪力墙结构.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub structure_type: String,
    /// 项目经理 (the contractor's project manager): on the 表A header, the cover and the
    /// signature page.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub project_manager: String,
    /// The register of the project's 重大危险源 / 危险性较大的分部分项工程 (危大工程), each with its
    /// monthly risk assessments: the facts of five 100% target 5 (重大危险源监控管理和每月风险评估率).
    /// Empty in data made before the register existed, and then not written.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub major_sources: Vec<MajorSource>,
}

/// One entry of a project's register of 重大危险源 / 危大工程 ([`Project::major_sources`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MajorSource {
    /// Stable id within the project, e.g. `MS-01` ([`Project::next_major_source_id`]); the five
    /// 100% rate names unassessed sources by it.
    pub id: String,
    /// Name, e.g. 1#楼基坑土方开挖及支护.
    pub name: String,
    /// Type in the user's words, e.g. 深基坑, 高支模, 起重机械, 脚手架.
    #[serde(rename = "type", default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    /// The 专项施工方案 (a reference to the plan: number, title, approval).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub plan: String,
    /// 监控措施: how the source is monitored.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub monitoring: String,
    /// The person responsible for the source.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub responsible: String,
    /// The dated risk assessments, in the order recorded.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<RiskAssessment>,
}

/// A dated risk assessment of a [`MajorSource`] (每月风险评估).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskAssessment {
    /// The day of the assessment (`YYYY-MM-DD`).
    #[serde(with = "crate::dates::iso_date")]
    pub date: Date,
    /// Who assessed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    /// The result or a note, e.g. 风险可控，支护监测数据正常.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

impl MajorSource {
    /// Whether an assessment is dated in the calendar month of `day`.
    pub fn assessed_in_month_of(&self, day: Date) -> bool {
        self.assessments
            .iter()
            .any(|assessment| same_month(assessment.date, day.year(), day.month()))
    }
}

fn same_month(date: Date, year: i32, month: Month) -> bool {
    date.year() == year && date.month() == month
}

impl Project {
    /// The unit with `role`, when the project names one (the first, if several).
    pub fn party(&self, role: PartyRole) -> Option<&Party> {
        self.parties.iter().find(|party| party.role == role)
    }

    /// The register entry with `id`.
    pub fn major_source(&self, id: &str) -> Option<&MajorSource> {
        self.major_sources.iter().find(|source| source.id == id)
    }

    /// An id for a new register entry: `MS-` and two digits, one above the highest `MS-` number in
    /// use (ids removed from the end are given again; ids typed otherwise are left alone).
    pub fn next_major_source_id(&self) -> String {
        let highest = self
            .major_sources
            .iter()
            .filter_map(|source| source.id.strip_prefix("MS-")?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        format!("MS-{:02}", highest + 1)
    }
}

impl Project {
    /// Checks names and any parties' credit codes; names the first bad field.
    pub fn validate(&self) -> crate::Result<()> {
        if self.name.trim().is_empty() {
            return Err(crate::Error::invalid("project.name", "must not be empty"));
        }
        for (idx, party) in self.parties.iter().enumerate() {
            if party.name.trim().is_empty() {
                return Err(crate::Error::invalid(
                    format!("project.parties[{idx}].name"),
                    "must not be empty",
                ));
            }
            if let Some(code) = &party.credit_code {
                validate_credit_code(code).map_err(|error| {
                    crate::Error::invalid(
                        format!("project.parties[{idx}].credit_code"),
                        error.to_string(),
                    )
                })?;
            }
        }
        for (idx, source) in self.major_sources.iter().enumerate() {
            if source.id.trim().is_empty() {
                return Err(crate::Error::invalid(
                    format!("project.major_sources[{idx}].id"),
                    "must not be empty",
                ));
            }
            if self.major_sources[..idx]
                .iter()
                .any(|earlier| earlier.id == source.id)
            {
                return Err(crate::Error::invalid(
                    format!("project.major_sources[{idx}].id"),
                    format!("{:?} is used by an earlier entry", source.id),
                ));
            }
            if source.name.trim().is_empty() {
                return Err(crate::Error::invalid(
                    format!("project.major_sources[{idx}].name"),
                    "must not be empty",
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(code: &str, expected: Result<&str, CreditCodeError>) {
        assert_eq!(
            validate_credit_code(code).as_deref().map_err(Clone::clone),
            expected
        );
    }

    #[test]
    fn credit_codes() {
        // The check characters were computed by hand in `check_char_by_hand`; a valid code stays
        // valid after trimming and upper-casing.
        check("91350100M000100Y43", Ok("91350100M000100Y43"));
        check(" 91350100m000100y43 ", Ok("91350100M000100Y43"));
        check(
            "911100001000000000",
            Err(CreditCodeError::Check {
                found: '0',
                expected: 'R',
            }),
        );
        check(
            "91350100M000100Y4",
            Err(CreditCodeError::Length { found: 17 }),
        );
        check(
            "91350100M000100Y4I",
            Err(CreditCodeError::Character {
                position: 18,
                found: 'I',
            }),
        );
        check(
            "91A50100M000100Y43",
            Err(CreditCodeError::Region {
                position: 3,
                found: 'A',
            }),
        );
        check(
            "91350100M000100Y44",
            Err(CreditCodeError::Check {
                found: '4',
                expected: '3',
            }),
        );
        check("", Err(CreditCodeError::Length { found: 0 }));
        check(
            "９１３５０１００Ｍ０００１００Ｙ４３",
            Err(CreditCodeError::Character {
                position: 1,
                found: '９',
            }),
        );
    }

    #[test]
    fn check_char_by_hand() {
        // 91350100M000100Y4: values 9,1,3,5,0,1,0,0,M=21,0,0,0,1,0,0,Y=30,4 times the weights
        // 1,3,9,27,19,26,16,17,20,29,25,13,8,24,10,30,28:
        // 9+3+27+135+0+26+0+0+420+0+0+0+8+0+0+900+112 = 1640; 1640 mod 31 = 28; 31-28 = 3 → '3'.
        assert_eq!(credit_code_check_char("91350100M000100Y4"), Some('3'));
        // 91110000100000000: 9+3+9+27+20 = 68; 68 mod 31 = 6; 31-6 = 25, and the 25th character of
        // 0123456789ABCDEFGHJKLMNPQRTUWXY (counting from 0) is 'R'.
        assert_eq!(credit_code_check_char("91110000100000000"), Some('R'));
        // A sum divisible by 31 gives check value 0: 0 followed by 16 zeros.
        assert_eq!(credit_code_check_char("00000000000000000"), Some('0'));
        assert_eq!(credit_code_check_char("9111000010000000"), None);
        assert_eq!(credit_code_check_char("9111000010000000I"), None);
    }

    #[test]
    fn other_characters_are_reported_as_typed() {
        // A full-width letter (an input method left in full-width mode) at position 9.
        let error = validate_credit_code("91350100Ｍ000100Y43").unwrap_err();
        assert_eq!(
            error,
            CreditCodeError::Character {
                position: 9,
                found: 'Ｍ'
            }
        );
        // Lower-case ASCII is upper-cased and accepted.
        assert_eq!(
            validate_credit_code(" 91350100m000100y43 ").as_deref(),
            Ok("91350100M000100Y43")
        );
    }

    #[test]
    fn projects_written_before_the_header_fields_still_load() {
        let old =
            r#"{"name":"1#楼","location":"福州","parties":[{"role":"施工","name":"甲公司"}]}"#;
        let project: Project = serde_json::from_str(old).unwrap();
        assert_eq!(
            (
                project.floor_area_m2.as_str(),
                project.structure_type.as_str(),
                project.project_manager.as_str()
            ),
            ("", "", "")
        );
        assert_eq!(project.party(PartyRole::Contractor).unwrap().name, "甲公司");
        assert_eq!(project.party(PartyRole::Supervisor), None);
        // Empty fields are not written, so old readers see the same JSON.
        assert_eq!(
            serde_json::to_string(&project).unwrap(),
            r#"{"name":"1#楼","location":"福州","parties":[{"role":"施工","name":"甲公司","safety_lead":""}]}"#
        );
    }

    #[test]
    fn projects_written_before_the_register_open_and_write_back_identical() {
        let old = r#"{"name":"1#楼","location":"福州","parties":[{"role":"施工","name":"甲公司","safety_lead":"王伟"}],"floor_area_m2":"12500","structure_type":"框架结构","project_manager":"李静"}"#;
        let project: Project = serde_json::from_str(old).unwrap();
        assert!(project.major_sources.is_empty());
        assert_eq!(serde_json::to_string(&project).unwrap(), old);
        assert_eq!(project.validate(), Ok(()));
    }

    #[test]
    fn the_register_is_written_and_read() {
        let text = r#"{"name":"1#楼","location":"","parties":[],"major_sources":[{"id":"MS-01","name":"基坑支护","type":"深基坑","plan":"深基坑专项施工方案","monitoring":"每日监测沉降","responsible":"王伟","assessments":[{"date":"2026-10-29","by":"李静","note":"风险可控"},{"date":"2026-11-01"}]},{"id":"MS-02","name":"塔吊"}]}"#;
        let project: Project = serde_json::from_str(text).unwrap();
        let source = project.major_source("MS-01").unwrap();
        assert_eq!(
            (source.kind.as_str(), source.assessments.len()),
            ("深基坑", 2)
        );
        assert_eq!(source.assessments[1].by, "");
        assert!(source.assessed_in_month_of(time::macros::date!(2026 - 11 - 30)));
        assert!(source.assessed_in_month_of(time::macros::date!(2026 - 10 - 01)));
        assert!(!source.assessed_in_month_of(time::macros::date!(2026 - 12 - 01)));
        assert!(!source.assessed_in_month_of(time::macros::date!(2025 - 11 - 15)));
        assert!(project.major_source("MS-03").is_none());
        // Empty fields are not written: the same text comes back.
        assert_eq!(serde_json::to_string(&project).unwrap(), text);
        assert_eq!(project.next_major_source_id(), "MS-03");
        assert_eq!(Project::default().next_major_source_id(), "MS-01");
    }

    #[test]
    fn register_entries_need_an_id_used_once_and_a_name() {
        let mut project = Project {
            name: "1#楼".to_owned(),
            major_sources: vec![
                MajorSource {
                    id: "MS-01".to_owned(),
                    name: "基坑".to_owned(),
                    ..MajorSource::default()
                },
                MajorSource {
                    id: "MS-01".to_owned(),
                    name: "高支模".to_owned(),
                    ..MajorSource::default()
                },
            ],
            ..Project::default()
        };
        let error = project.validate().unwrap_err().to_string();
        assert!(
            error.contains("project.major_sources[1].id") && error.contains("earlier"),
            "{error}"
        );
        project.major_sources[1].id = "MS-02".to_owned();
        project.major_sources[1].name = " ".to_owned();
        let error = project.validate().unwrap_err().to_string();
        assert!(error.contains("project.major_sources[1].name"), "{error}");
        project.major_sources[1].name = "高支模".to_owned();
        assert_eq!(project.validate(), Ok(()));
    }

    #[test]
    fn messages_name_the_expected_character() {
        let error = validate_credit_code("91350100M000100Y44").unwrap_err();
        assert!(error.to_string().contains("expected '3'"), "{error}");
        assert!(error.zh().contains("应为“3”"), "{}", error.zh());
    }
}
