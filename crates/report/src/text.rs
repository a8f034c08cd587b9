//! Line breaking for Chinese with some Latin: a break is allowed between any two CJK characters and
//! at spaces, never inside a Latin word or number unless the word alone is wider than the line.
//! The Chinese rules (禁则) move characters so that no line starts with a closing punctuation mark
//! (，。、；：？！ and closing brackets and quotes) and no line ends with an opening one (（《“).

/// Characters that must not start a line.
const NO_START: &str = "，。、；：？！）》」』】〕〉”’…—·％,.;:?!)]}%";
/// Characters that must not end a line.
const NO_END: &str = "（《「『【〔〈“‘([{";

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF      // radicals, kana, CJK symbols and punctuation, Ext A, unified
        | 0xF900..=0xFAFF    // compatibility ideographs
        | 0xFE30..=0xFE4F    // compatibility forms
        | 0xFF00..=0xFFEF    // full-width forms
        | 0x20000..=0x3FFFF) // Ext B and later
}

fn no_start(c: char) -> bool {
    NO_START.contains(c)
}

fn no_end(c: char) -> bool {
    NO_END.contains(c)
}

/// Whether a line may break between `before` and `after` (before the rules above are applied).
fn opportunity(before: char, after: char) -> bool {
    before == ' ' || after == ' ' || is_cjk(before) || is_cjk(after) || before == '/'
}

/// Breaks `text` into lines no wider than `max_width`, measuring each character with `width`.
/// Newlines start new lines; tabs become spaces; spaces at a line's ends are dropped. A word wider
/// than a line is cut where it overflows; an empty text gives no lines.
pub(crate) fn wrap(text: &str, max_width: f32, width: impl Fn(char) -> f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let chars: Vec<char> = paragraph
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .filter(|c| !c.is_control())
            .collect();
        wrap_paragraph(&chars, max_width, &width, &mut lines);
    }
    // A trailing newline does not make an empty last line.
    while lines.last().is_some_and(|line: &String| line.is_empty()) && lines.len() > 1 {
        lines.pop();
    }
    if lines.len() == 1 && lines[0].is_empty() {
        lines.clear();
    }
    lines
}

fn wrap_paragraph(
    chars: &[char],
    max_width: f32,
    width: &impl Fn(char) -> f32,
    lines: &mut Vec<String>,
) {
    let mut start = skip_spaces(chars, 0);
    if start >= chars.len() {
        lines.push(String::new());
        return;
    }
    while start < chars.len() {
        // Find the first character that no longer fits.
        let mut used = 0.0;
        let mut end = start;
        while end < chars.len() {
            let w = width(chars[end]);
            if used + w > max_width && end > start {
                break;
            }
            used += w;
            end += 1;
        }
        if end == chars.len() {
            lines.push(
                chars[start..end]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_owned(),
            );
            break;
        }
        let brk = choose_break(chars, start, end);
        lines.push(
            chars[start..brk]
                .iter()
                .collect::<String>()
                .trim_end()
                .to_owned(),
        );
        start = skip_spaces(chars, brk);
    }
}

fn skip_spaces(chars: &[char], mut idx: usize) -> usize {
    while idx < chars.len() && chars[idx] == ' ' {
        idx += 1;
    }
    idx
}

/// Where to break a line that runs from `start` and overflows at `end` (the first character that
/// does not fit): the last opportunity at or before `end` that respects the rules, else `end`.
/// Nothing hangs into the margin (table cells have borders): a closing mark that does not fit takes
/// the character before it to the next line (推出).
fn choose_break(chars: &[char], start: usize, end: usize) -> usize {
    let allowed = |brk: usize| {
        brk > start
            && opportunity(chars[brk - 1], chars[brk])
            && !no_start(chars[brk])
            && !no_end(chars[brk - 1])
    };
    (start + 1..=end)
        .rev()
        .find(|&brk| allowed(brk))
        .unwrap_or(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CJK characters are 1 wide, everything else 0.5.
    fn width(c: char) -> f32 {
        if is_cjk(c) { 1.0 } else { 0.5 }
    }

    #[track_caller]
    fn check(text: &str, max_width: f32, expected: &[&str]) {
        assert_eq!(wrap(text, max_width, width), expected, "{text:?}");
    }

    #[test]
    fn breaks() {
        check("", 5.0, &[]);
        check("安全帽", 5.0, &["安全帽"]);
        check("施工现场应设置围挡", 4.0, &["施工现场", "应设置围", "挡"]);
        // A comma never starts a line: the character before it moves down with it.
        check(
            "施工现场，应设置围挡",
            4.0,
            &["施工现", "场，应设", "置围挡"],
        );
        // Two closing marks in a row: the character before them moves down with them.
        check("施工现场。”应设置", 4.0, &["施工现", "场。”应", "设置"]);
        // An opening bracket never ends a line.
        check(
            "依据《建筑施工安全检查标准》",
            4.0,
            &["依据《建", "筑施工安", "全检查标", "准》"],
        );
        check("甲乙丙（丁）", 4.0, &["甲乙丙", "（丁）"]);
        // Latin words stay whole and break at spaces.
        check(
            "JGJ 59-2011 第4.0.1条",
            4.0,
            &["JGJ", "59-2011", "第4.0.1", "条"],
        );
        // A word wider than the line is cut.
        check("abcdefghijkl", 2.0, &["abcd", "efgh", "ijkl"]);
        // Newlines are kept; blank lines inside stay, a trailing one goes.
        check("甲\n\n乙\n", 4.0, &["甲", "", "乙"]);
        check("  甲乙  ", 4.0, &["甲乙"]);
    }

    #[test]
    fn no_line_breaks_the_rules() {
        let text = "现场检查发现问题：脚手架（含悬挑式）连墙件设置不符合《建筑施工扣件式钢管脚手架安全技术规范》JGJ 130-2011的要求，“三宝、四口、五临边”防护不到位；整改！";
        for max in [3.0, 4.0, 5.0, 6.5, 7.0, 9.0, 13.0] {
            let lines = wrap(text, max, width);
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
            for line in &lines[1..] {
                let first = line.chars().next().unwrap();
                assert!(
                    !no_start(first),
                    "{max}: line starts with {first}: {lines:?}"
                );
            }
            for line in &lines {
                let last = line.chars().last().unwrap();
                assert!(!no_end(last), "{max}: line ends with {last}: {lines:?}");
            }
        }
    }
}
