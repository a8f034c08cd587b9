//! The spreadsheet layout of a checklist (the contract of `zicha import` and `zicha template`): one
//! description, from which the template is written, the import reads its columns, and
//! checklists/IMPORT.md's table is checked.
//!
//! Sheet 检查表: one row per item under a header row (title rows above it are skipped). Sheet 信息:
//! the checklist's own data, one key per row in column A and its values from column B.

/// The sheet of items.
pub const ITEM_SHEET: &str = "检查表";
/// The sheet of the checklist's own data.
pub const INFO_SHEET: &str = "信息";
/// The sheet that explains the columns (written by the template, ignored by the import).
pub const HELP_SHEET: &str = "说明";

/// A column of sheet 检查表.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Col {
    /// 分类: the section's title (merged or blank cells carry the one above down).
    Section,
    /// 序号: the item's id.
    Id,
    /// 检查内容: what to check, the compliant state.
    Text,
    /// 隐患描述: what is found when the item fails.
    Hazard,
    /// 依据条款: the clause; 企业自定 for an enterprise's own item.
    Clause,
    /// 分值: full marks; blank for an unscored item.
    Points,
    /// 隐患级别: 一般 / 重大 (是 / 否 in a 是否重大隐患 column).
    Level,
    /// 扣分标准: deduction rules, one per line.
    Deductions,
    /// 检查方法: how to check on site.
    Guidance,
    /// 类型: check, deduction, measurement, text, photo (or 检查, 扣分, 实测, 文字, 照片).
    Kind,
    /// 单位 of a measurement.
    Unit,
    /// 下限 of a measurement.
    Min,
    /// 上限 of a measurement.
    Max,
    /// 分类编号: the section's id.
    SectionId,
    /// 分类英文: the section's English title.
    SectionEn,
    /// 分类满分: the section's full marks.
    SectionMax,
    /// 项目类别: 保证项目 / 一般项目.
    Group,
    /// 评分表: the JGJ 59 sheet id of the section.
    Sheet,
    /// 英文内容: the item in English.
    TextEn,
    /// 检查方法英文: the guidance in English.
    GuidanceEn,
    /// 标签: tags, separated by commas.
    Tags,
    /// 不适用条件: when a 保证项目 item does not exist on a site.
    AbsentIf,
    /// 已核对原文: 是 / 否.
    Verified,
    /// 核对来源: the links of the full text the item was read against, one per line.
    Source,
}

/// One column of sheet 检查表.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Which field.
    pub col: Col,
    /// The header the template writes.
    pub header: &'static str,
    /// Other headers the import accepts (after removing spaces, line breaks and `*`).
    pub aliases: &'static [&'static str],
    /// Whether a sheet without this column cannot be imported.
    pub required: bool,
    /// Column width in the template, in characters.
    pub width: f64,
    /// What goes in it, for sheet 说明 and IMPORT.md.
    pub help: &'static str,
}

/// Every column of sheet 检查表, in the template's order: the nine of the contract first.
pub const COLUMNS: &[Column] = &[
    Column {
        col: Col::Section,
        header: "分类",
        aliases: &["类别", "检查类别", "检查项目", "项目", "section"],
        required: true,
        width: 16.0,
        help: "章节或类别；合并单元格或空白时沿用上一行",
    },
    Column {
        col: Col::Id,
        header: "序号",
        aliases: &["编号", "条目编号", "id"],
        required: false,
        width: 10.0,
        help: "条目编号，字母、数字、-；各分类重复的序号自动加分类编号前缀；空白时按顺序生成",
    },
    Column {
        col: Col::Text,
        header: "检查内容",
        aliases: &[
            "检查内容及要求",
            "检查标准",
            "检查要求",
            "排查内容",
            "text_zh",
        ],
        required: true,
        width: 40.0,
        help: "应当达到的状态（符合时的表述）",
    },
    Column {
        col: Col::Hazard,
        header: "隐患描述",
        aliases: &["隐患内容", "隐患表现", "存在问题", "hazard_zh"],
        required: false,
        width: 40.0,
        help: "不符合时发现的隐患（“未……”“不……”“超过……”）；计分或重大的检查项必填",
    },
    Column {
        col: Col::Clause,
        header: "依据条款",
        aliases: &["检查依据", "依据", "法规依据", "判定依据", "clause"],
        required: true,
        width: 28.0,
        help: "以“信息”表所列标准代号开头，如“GB 50156-2021 6.1.1”；企业自行规定的条目写“企业自定”",
    },
    Column {
        col: Col::Points,
        header: "分值",
        aliases: &["标准分", "应得分", "分数", "points"],
        required: false,
        width: 8.0,
        help: "满分；空白为不计分条目",
    },
    Column {
        col: Col::Level,
        header: "隐患级别",
        aliases: &["级别", "隐患等级", "是否重大隐患", "重大隐患", "level"],
        required: false,
        width: 10.0,
        help: "一般 或 重大（是/否 亦可）；空白为一般",
    },
    Column {
        col: Col::Deductions,
        header: "扣分标准",
        aliases: &["扣分细则", "评分标准", "deductions"],
        required: false,
        width: 36.0,
        help: "每行一条：“情形（扣2分）”“情形（扣2-5分）”“情形（每处扣2分）”；有扣分标准的条目按扣分计",
    },
    Column {
        col: Col::Guidance,
        header: "检查方法",
        aliases: &["检查方式", "排查方法", "guidance"],
        required: false,
        width: 30.0,
        help: "现场如何检查：查什么资料、看什么部位、测什么",
    },
    Column {
        col: Col::Kind,
        header: "类型",
        aliases: &["条目类型", "kind"],
        required: false,
        width: 8.0,
        help: "检查、扣分、实测、文字、照片（check, deduction, measurement, text, photo）；空白时有扣分标准为扣分，否则为检查",
    },
    Column {
        col: Col::Unit,
        header: "单位",
        aliases: &["unit"],
        required: false,
        width: 6.0,
        help: "实测条目的单位，如 m、mA、%",
    },
    Column {
        col: Col::Min,
        header: "下限",
        aliases: &["最小值", "min"],
        required: false,
        width: 6.0,
        help: "实测条目允许的最小值",
    },
    Column {
        col: Col::Max,
        header: "上限",
        aliases: &["最大值", "max"],
        required: false,
        width: 6.0,
        help: "实测条目允许的最大值",
    },
    Column {
        col: Col::SectionId,
        header: "分类编号",
        aliases: &["section_id"],
        required: false,
        width: 12.0,
        help: "分类的编号（字母、数字、-）；空白时按顺序生成 s1、s2……",
    },
    Column {
        col: Col::SectionEn,
        header: "分类英文",
        aliases: &["section_en"],
        required: false,
        width: 16.0,
        help: "分类的英文名称",
    },
    Column {
        col: Col::SectionMax,
        header: "分类满分",
        aliases: &["max_points"],
        required: false,
        width: 8.0,
        help: "分类满分，须等于其条目分值之和；空白时取其和",
    },
    Column {
        col: Col::Group,
        header: "项目类别",
        aliases: &["保证项目/一般项目", "group"],
        required: false,
        width: 10.0,
        help: "保证项目 或 一般项目（JGJ 59 评分表）",
    },
    Column {
        col: Col::Sheet,
        header: "评分表",
        aliases: &["sheet"],
        required: false,
        width: 8.0,
        help: "JGJ 59 分项检查评分表编号，如 B.1（评分方式为 jgj59 时）",
    },
    Column {
        col: Col::TextEn,
        header: "英文内容",
        aliases: &["text_en"],
        required: false,
        width: 30.0,
        help: "检查内容的英文",
    },
    Column {
        col: Col::GuidanceEn,
        header: "检查方法英文",
        aliases: &["guidance_en"],
        required: false,
        width: 24.0,
        help: "检查方法的英文",
    },
    Column {
        col: Col::Tags,
        header: "标签",
        aliases: &["tags"],
        required: false,
        width: 16.0,
        help: "以逗号分隔：judgement、stop-work、nine-small、topic:名称、five100:目标（重大条目自动加 judgement）",
    },
    Column {
        col: Col::AbsentIf,
        header: "不适用条件",
        aliases: &["absent_if"],
        required: false,
        width: 20.0,
        help: "仅保证项目：本工程无此项的情形（如只有一台塔吊）",
    },
    Column {
        col: Col::Verified,
        header: "已核对原文",
        aliases: &["verified"],
        required: false,
        width: 8.0,
        help: "是：已对照标准原文核对（须填核对来源）；否或空白：未核对",
    },
    Column {
        col: Col::Source,
        header: "核对来源",
        aliases: &["来源", "source"],
        required: false,
        width: 30.0,
        help: "核对所用标准全文的网址，每行一个；优先发布机关（gov.cn）页面",
    },
];

/// The column description of `col`.
pub fn column(col: Col) -> &'static Column {
    COLUMNS
        .iter()
        .find(|column| column.col == col)
        .expect("every Col has a column")
}

/// A key of sheet 信息 (column A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InfoKey {
    /// 编号: the checklist id.
    Id,
    /// 名称: the Chinese title.
    Title,
    /// 英文名称.
    TitleEn,
    /// 行业: a sector key or its Chinese name.
    Sector,
    /// 版本.
    Version,
    /// 评分方式: points / jgj59.
    Scoring,
    /// 标准: code, title, effective date, 判定标准 (是/否) in B–E; one row per standard.
    Standard,
    /// 汇总表行: id, title, English title, weight in B–E (JGJ 59).
    Row,
    /// 分项评分表: id, title, English title, 汇总表行 in B–E (JGJ 59).
    ScoreSheet,
}

/// The keys of sheet 信息 with their header and help text.
pub const INFO_KEYS: &[(InfoKey, &str, &str)] = &[
    (
        InfoKey::Id,
        "编号",
        "检查表编号：小写字母、数字、-；空白时取文件名",
    ),
    (InfoKey::Title, "名称", "检查表名称"),
    (InfoKey::TitleEn, "英文名称", "检查表英文名称"),
    (
        InfoKey::Sector,
        "行业",
        "行业代号（如 gas-station）或中文名（如 加油加气站）；空白为通用",
    ),
    (
        InfoKey::Version,
        "版本",
        "检查表版本，如 2026.1；内容改动后重新导入须改版本",
    ),
    (
        InfoKey::Scoring,
        "评分方式",
        "points（得分率，默认）或 jgj59",
    ),
    (
        InfoKey::Standard,
        "标准",
        "B 代号、C 名称、D 实施日期（YYYY-MM-DD）、E 是否判定标准（是/否）；每个标准一行",
    ),
    (
        InfoKey::Row,
        "汇总表行",
        "JGJ 59：B 编号、C 名称、D 英文名称、E 满分",
    ),
    (
        InfoKey::ScoreSheet,
        "分项评分表",
        "JGJ 59：B 编号、C 名称、D 英文名称、E 所属汇总表行",
    ),
];

/// The header of an info key.
pub fn info_header(key: InfoKey) -> &'static str {
    INFO_KEYS
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, header, _)| *header)
        .expect("every InfoKey has a header")
}

/// A header cell as the import compares it: without spaces, line breaks, `*` and full-width
/// parentheses' content such as 「（必填）」, lower case for the English aliases.
pub fn normalise_header(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '（' | '(' => depth += 1,
            '）' | ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_whitespace() || c == '*' || c == '＊' => {}
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The column a header cell names, if any.
pub fn match_header(text: &str) -> Option<Col> {
    let wanted = normalise_header(text);
    if wanted.is_empty() {
        return None;
    }
    COLUMNS
        .iter()
        .find(|column| {
            normalise_header(column.header) == wanted
                || column
                    .aliases
                    .iter()
                    .any(|alias| normalise_header(alias) == wanted)
        })
        .map(|column| column.col)
}

/// The letters of a 0-based column index, as Excel names it (0 → A, 26 → AA).
pub fn column_letters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_with_their_aliases_and_decorations() {
        assert_eq!(match_header("检查内容"), Some(Col::Text));
        assert_eq!(match_header(" 检查\n内容 *"), Some(Col::Text));
        assert_eq!(match_header("分值（必填）"), Some(Col::Points));
        assert_eq!(match_header("是否重大隐患"), Some(Col::Level));
        assert_eq!(match_header("TEXT_ZH"), Some(Col::Text));
        assert_eq!(match_header("备注"), None);
        assert_eq!(match_header(""), None);
    }

    #[test]
    fn every_header_and_alias_names_one_column() {
        let mut seen = std::collections::HashMap::new();
        for column in COLUMNS {
            for name in std::iter::once(&column.header).chain(column.aliases) {
                let key = normalise_header(name);
                assert_eq!(seen.insert(key.clone(), column.col), None, "{key} twice");
            }
        }
    }

    #[test]
    fn column_letters_follow_excel() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(5), "F");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
