//! crate::dates against time's own `[year]-[month]-[day]` and `well_known::Rfc3339` code: the
//! same text out, the same values in, the same inputs rejected.

use serde::{Deserialize, Serialize};
use time::format_description::BorrowedFormatItem;
use time::format_description::well_known::Rfc3339;
use time::macros::{date, datetime, format_description, offset};

use super::*;

const TIME_DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

/// A fixed-seed generator (the sample data's SplitMix64), so that a failure reproduces.
struct Generator(crate::sample::Rng);

impl Generator {
    fn new(seed: u64) -> Self {
        Generator(crate::sample::Rng(seed))
    }

    fn next(&mut self) -> u64 {
        self.0.next()
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<T: Copy>(&mut self, choices: &[T]) -> T {
        choices[self.below(choices.len() as u64) as usize]
    }
}

/// Both parsers give the same day, or both reject the text; returns the day.
#[track_caller]
fn same_date(text: &str) -> Option<Date> {
    match (parse_date(text), Date::parse(text, TIME_DATE)) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(ours, theirs, "{text:?}");
            Some(ours)
        }
        (Err(_), Err(_)) => None,
        (ours, theirs) => panic!("{text:?}: ours {ours:?}, time's {theirs:?}"),
    }
}

/// Both parsers give the same moment (date, time and offset, not only the same instant), or both
/// reject the text; returns the moment.
#[track_caller]
fn same_moment(text: &str) -> Option<OffsetDateTime> {
    let parts = |moment: OffsetDateTime| (moment.date(), moment.time(), moment.offset());
    match (parse_rfc3339(text), OffsetDateTime::parse(text, &Rfc3339)) {
        (Ok(ours), Ok(theirs)) => {
            assert_eq!(parts(ours), parts(theirs), "{text:?}");
            Some(ours)
        }
        (Err(_), Err(_)) => None,
        (ours, theirs) => panic!("{text:?}: ours {ours:?}, time's {theirs:?}"),
    }
}

/// Both reject the day, and our message says what is wrong.
#[track_caller]
fn check_bad_date(text: &str, expected_message: &str) {
    assert!(
        Date::parse(text, TIME_DATE).is_err(),
        "time accepts {text:?}"
    );
    let error = parse_date(text).expect_err(text).to_string();
    assert!(error.contains(expected_message), "{text:?}: {error}");
}

/// Both reject the moment, and our message says what is wrong.
#[track_caller]
fn check_bad_moment(text: &str, expected_message: &str) {
    assert!(
        OffsetDateTime::parse(text, &Rfc3339).is_err(),
        "time accepts {text:?}"
    );
    let error = parse_rfc3339(text).expect_err(text).to_string();
    assert!(error.contains(expected_message), "{text:?}: {error}");
}

/// The text with one character replaced, removed or inserted at a random place: near misses.
fn mutate(text: &str, generator: &mut Generator) -> String {
    const CHARACTERS: &[char] = &[
        '0', '1', '5', '9', '-', '+', ':', '.', 'T', 't', 'Z', 'z', ' ', 'x', 'é', '٣', '１',
    ];
    let mut chars: Vec<char> = text.chars().collect();
    let place = generator.below(chars.len() as u64 + 1) as usize;
    match generator.below(3) {
        0 if place < chars.len() => chars[place] = generator.pick(CHARACTERS),
        1 if place < chars.len() => {
            chars.remove(place);
        }
        _ => chars.insert(place, generator.pick(CHARACTERS)),
    }
    chars.into_iter().collect()
}

#[test]
fn every_day_from_1900_to_2100_both_ways() {
    let mut day = date!(1900 - 01 - 01);
    let mut n_days = 0;
    let mut generator = Generator::new(1);
    loop {
        let text = format_date(day);
        assert_eq!(text, day.format(TIME_DATE).unwrap());
        assert_eq!(same_date(&text), Some(day));
        assert_eq!(parse_date(&text), Ok(day));
        same_date(&mutate(&text, &mut generator));
        n_days += 1;
        if day == date!(2100 - 12 - 31) {
            break;
        }
        day = day.next_day().unwrap();
    }
    // 201 years, 49 of them leap years (1900 and 2100 are not, 2000 is).
    assert_eq!(n_days, 201 * 365 + 49);
}

#[test]
fn years_outside_the_usual_range_as_time_writes_them() {
    for day in [
        date!(0000 - 01 - 01),
        date!(0044 - 03 - 15),
        date!(-0044 - 03 - 15),
        date!(-0001 - 12 - 31),
        date!(9999 - 12 - 31),
        date!(-9999 - 01 - 01),
    ] {
        let text = format_date(day);
        assert_eq!(text, day.format(TIME_DATE).unwrap());
        assert_eq!(same_date(&text), Some(day));
    }
    assert_eq!(format_date(date!(-0044 - 03 - 15)), "-0044-03-15");
}

#[test]
fn odd_dates_that_both_accept() {
    for (text, expected) in [
        ("+2026-11-29", date!(2026 - 11 - 29)),
        ("-0000-01-01", date!(0000 - 01 - 01)),
        ("2024-02-29", date!(2024 - 02 - 29)),
        ("2000-02-29", date!(2000 - 02 - 29)),
    ] {
        assert_eq!(same_date(text), Some(expected), "{text}");
    }
}

#[test]
fn malformed_dates_both_reject() {
    check_bad_date("2026-02-30", "February 2026 has no day 30");
    check_bad_date("2025-02-29", "February 2025 has no day 29");
    check_bad_date("1900-02-29", "February 1900 has no day 29");
    check_bad_date("2026-04-31", "April 2026 has no day 31");
    check_bad_date("2026-01-00", "January 2026 has no day 00");
    check_bad_date("2026-01-32", "January 2026 has no day 32");
    check_bad_date("2026-13-01", "month 13 is out of range");
    check_bad_date("2026-00-10", "month 00 is out of range");
    check_bad_date("2026-1-01", "expected 2 digits of the month at byte 5");
    check_bad_date("2026-01-1", "expected 2 digits of the day at byte 8");
    check_bad_date("26-01-01", "expected 4 digits of the year at byte 0");
    check_bad_date("20260-01-01", "expected '-' after the year at byte 4");
    check_bad_date("2026/01/01", "expected '-' after the year at byte 4");
    check_bad_date("2026-01/01", "expected '-' after the month at byte 7");
    check_bad_date("2026-01-01x", "unexpected text after the date at byte 10");
    check_bad_date("2026-01-01T00:00:00Z", "unexpected text after the date");
    check_bad_date("2026-01-01 ", "unexpected text after the date");
    check_bad_date(" 2026-01-01", "expected 4 digits of the year at byte 0");
    check_bad_date("", "expected 4 digits of the year at byte 0");
    check_bad_date("2026-01-0１", "expected 2 digits of the day");
    check_bad_date("+10000-01-01", "expected '-' after the year at byte 5");
    check_bad_date("+002026-11-29", "expected '-' after the year at byte 5");
    check_bad_date("+-2026-01-01", "expected 4 digits of the year at byte 1");
    check_bad_date("2026-01-01\n", "unexpected text");
}

#[test]
fn the_message_names_the_format_and_the_text() {
    assert_eq!(
        parse_date("2026-02-30").unwrap_err().to_string(),
        "invalid date (YYYY-MM-DD) \"2026-02-30\": February 2026 has no day 30"
    );
    assert_eq!(
        parse_rfc3339("2026-11-29T24:00:00Z")
            .unwrap_err()
            .to_string(),
        "invalid RFC 3339 date-time \"2026-11-29T24:00:00Z\": hour 24 is out of range (00-23)"
    );
}

/// A moment RFC 3339 can write: years 0000-9999, offsets in whole minutes up to ±23:59, and
/// fractions of every length.
fn random_moment(generator: &mut Generator) -> OffsetDateTime {
    let year = generator.below(10_000) as i32;
    let length = if time::util::is_leap_year(year) {
        366
    } else {
        365
    };
    let date = Date::from_ordinal_date(year, 1 + generator.below(length) as u16).unwrap();
    let nanosecond = match generator.below(5) {
        0 => 0,
        1 => generator.below(10) as u32 * 100_000_000,
        2 => generator.below(1_000) as u32 * 1_000_000,
        3 => generator.below(1_000_000) as u32 * 1_000,
        _ => generator.below(1_000_000_000) as u32,
    };
    let time = Time::from_hms_nano(
        generator.below(24) as u8,
        generator.below(60) as u8,
        generator.below(60) as u8,
        nanosecond,
    )
    .unwrap();
    let offset = match generator.below(4) {
        0 => UtcOffset::UTC,
        1 => UtcOffset::from_hms(generator.below(47) as i8 - 23, 0, 0).unwrap(),
        _ => {
            let hours = generator.below(24) as i8;
            let minutes = generator.below(60) as i8;
            let sign = if generator.below(2) == 0 { 1 } else { -1 };
            UtcOffset::from_hms(sign * hours, sign * minutes, 0).unwrap()
        }
    };
    OffsetDateTime::new_in_offset(date, time, offset)
}

#[test]
fn generated_moments_both_ways() {
    let mut generator = Generator::new(2026);
    for _ in 0..5_000 {
        let moment = random_moment(&mut generator);
        let text = format_rfc3339(moment).unwrap();
        assert_eq!(text, moment.format(&Rfc3339).unwrap());
        let parsed = same_moment(&text).unwrap_or_else(|| panic!("{text} rejected"));
        assert_eq!(
            (parsed.date(), parsed.time(), parsed.offset()),
            (moment.date(), moment.time(), moment.offset()),
            "{text}"
        );
        // Variants time accepts too (other separators, `z`, long fractions), and near misses.
        same_moment(&text.replacen('T', " ", 1));
        same_moment(&text.replacen('T', "x", 1));
        same_moment(&text.replacen('Z', "z", 1));
        same_moment(&text.replacen("+00:00", "-00:00", 1));
        for extra in ["0", "000000000", "123456789123"] {
            let with_fraction = match text.find('.') {
                Some(dot) => format!("{}{extra}{}", &text[..dot + 2], &text[dot + 2..]),
                None => format!("{}.{extra}{}", &text[..19], &text[19..]),
            };
            same_moment(&with_fraction);
        }
        for _ in 0..4 {
            same_moment(&mutate(&text, &mut generator));
        }
    }
}

#[test]
fn examples_as_time_writes_them() {
    for (moment, expected) in [
        (datetime!(2026-11-29 10:00 +8), "2026-11-29T10:00:00+08:00"),
        (datetime!(2026-11-29 02:00 UTC), "2026-11-29T02:00:00Z"),
        (
            datetime!(2026-11-29 02:00 -0:30),
            "2026-11-29T02:00:00-00:30",
        ),
        (
            datetime!(2026-11-29 02:00 -9:30),
            "2026-11-29T02:00:00-09:30",
        ),
        (
            datetime!(2026-11-29 02:00:00.5 +8),
            "2026-11-29T02:00:00.5+08:00",
        ),
        (
            datetime!(2026-11-29 02:00:00.000_000_001 +8),
            "2026-11-29T02:00:00.000000001+08:00",
        ),
        (
            datetime!(2026-11-29 02:00:00.120 +8),
            "2026-11-29T02:00:00.12+08:00",
        ),
        (datetime!(0000-01-01 00:00 UTC), "0000-01-01T00:00:00Z"),
    ] {
        assert_eq!(format_rfc3339(moment).unwrap(), expected);
        assert_eq!(moment.format(&Rfc3339).unwrap(), expected);
    }
}

#[test]
fn what_rfc3339_cannot_write_both_refuse() {
    for (moment, expected_message) in [
        (
            datetime!(-0001-12-31 10:00 UTC),
            "year -1 cannot be written",
        ),
        (
            datetime!(2026-11-29 10:00 +01:00:30),
            "an offset with seconds",
        ),
        (datetime!(2026-11-29 10:00 +24:00), "an offset of 24 hours"),
        (datetime!(2026-11-29 10:00 -25:00), "an offset of -25 hours"),
    ] {
        assert!(moment.format(&Rfc3339).is_err(), "time writes {moment}");
        let error = format_rfc3339(moment).unwrap_err().to_string();
        assert!(error.contains(expected_message), "{moment}: {error}");
    }
}

#[test]
fn odd_moments_that_both_accept() {
    for (text, expected) in [
        ("2026-11-29 10:00:00+08:00", datetime!(2026-11-29 10:00 +8)),
        ("2026-11-29x10:00:00z", datetime!(2026-11-29 10:00 UTC)),
        ("2026-11-29t10:00:00Z", datetime!(2026-11-29 10:00 UTC)),
        ("2026-11-29T10:00:00-00:00", datetime!(2026-11-29 10:00 UTC)),
        (
            "2026-11-29T10:00:00.1234567891234Z",
            datetime!(2026-11-29 10:00:00.123_456_789 UTC),
        ),
        ("2026-11-29T10:00:00.0Z", datetime!(2026-11-29 10:00 UTC)),
        // Leap seconds: 23:59:60 UTC on the last day of a month.
        (
            "2016-12-31T23:59:60Z",
            datetime!(2016-12-31 23:59:59.999_999_999 UTC),
        ),
        (
            "2016-12-31T23:59:60.5Z",
            datetime!(2016-12-31 23:59:59.999_999_999 UTC),
        ),
        (
            "2017-01-01T07:59:60+08:00",
            datetime!(2017-01-01 07:59:59.999_999_999 +8),
        ),
        (
            "2016-06-30T18:29:60-05:30",
            datetime!(2016-06-30 18:29:59.999_999_999 -5:30),
        ),
        (
            "0000-01-01T00:59:60+01:00",
            datetime!(0000-01-01 00:59:59.999_999_999 +1),
        ),
    ] {
        let parsed = same_moment(text).unwrap_or_else(|| panic!("{text} rejected"));
        assert_eq!(
            (parsed.date(), parsed.time(), parsed.offset()),
            (expected.date(), expected.time(), expected.offset()),
            "{text}"
        );
    }
    // `-00:00` is UTC, written back as `Z`.
    assert_eq!(
        format_rfc3339(parse_rfc3339("2026-11-29T10:00:00-00:00").unwrap()).unwrap(),
        "2026-11-29T10:00:00Z"
    );
}

#[test]
fn malformed_moments_both_reject() {
    check_bad_moment("2026-11-29T24:00:00Z", "hour 24 is out of range");
    check_bad_moment("2026-11-29T10:60:00Z", "minute 60 is out of range");
    check_bad_moment("2026-11-29T10:00:61Z", "second 61 is out of range");
    check_bad_moment("2026-11-29T10:00:60Z", "leap second");
    check_bad_moment("2016-12-30T23:59:60Z", "leap second");
    check_bad_moment("2016-12-31T23:58:60Z", "leap second");
    check_bad_moment("2016-12-31T23:59:60+08:00", "leap second");
    check_bad_moment("9999-12-31T23:59:60-01:00", "leap second");
    check_bad_moment("2026-02-30T10:00:00Z", "February 2026 has no day 30");
    check_bad_moment("2026-13-29T10:00:00Z", "month 13 is out of range");
    check_bad_moment("2026-00-29T10:00:00Z", "month 00 is out of range");
    check_bad_moment("2026-11-00T10:00:00Z", "November 2026 has no day 00");
    check_bad_moment(
        "2026-11-29T10:00:00+24:00",
        "offset hour 24 is out of range",
    );
    check_bad_moment(
        "2026-11-29T10:00:00+08:60",
        "offset minute 60 is out of range",
    );
    check_bad_moment(
        "2026-11-29T10:00:00+0800",
        "expected ':' in the offset at byte 22",
    );
    check_bad_moment(
        "2026-11-29T10:00:00+8:00",
        "expected 2 digits of the offset hour",
    );
    check_bad_moment("2026-11-29T10:00:00", "expected 'Z' or an offset");
    check_bad_moment(
        "2026-11-29T10:00:00 +08:00",
        "expected 'Z' or an offset (+hh:mm or -hh:mm) at byte 19",
    );
    check_bad_moment("2026-11-29T10:00:00−08:00", "expected 'Z' or an offset");
    check_bad_moment(
        "2026-11-29T10:00:00Zjunk",
        "unexpected text after the offset at byte 20",
    );
    check_bad_moment(
        "2026-11-29T10:00:00+08:00 ",
        "unexpected text after the offset",
    );
    check_bad_moment("2026-11-29T10:00:00.Z", "expected a digit of the fraction");
    check_bad_moment(
        "2026-11-29T10:00Z",
        "expected ':' after the minute at byte 16",
    );
    check_bad_moment("2026-11-29", "expected 'T' and the time at byte 10");
    check_bad_moment("2026-11-29T", "expected 2 digits of the hour at byte 11");
    check_bad_moment("2026-11-29TT10:00:00Z", "expected 2 digits of the hour");
    check_bad_moment("2026-11-29éT10:00:00Z", "expected 2 digits of the hour");
    check_bad_moment(
        "+2026-11-29T10:00:00Z",
        "expected 4 digits of the year at byte 0",
    );
    check_bad_moment("2026-11-29T10:00:00.5", "expected 'Z' or an offset");
    check_bad_moment(" 2026-11-29T10:00:00Z", "expected 4 digits of the year");
    check_bad_moment("", "expected 4 digits of the year");
}

/// The JSON forms: our serde modules next to time's.
mod serde_forms {
    use super::*;

    mod time_iso_date {
        time::serde::format_description!(pub iso_date, Date, "[year]-[month]-[day]");
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Ours {
        #[serde(with = "crate::dates::iso_date")]
        day: Date,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::dates::iso_date::option"
        )]
        deadline: Option<Date>,
        #[serde(with = "crate::dates::rfc3339")]
        at: OffsetDateTime,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Theirs {
        #[serde(with = "time_iso_date::iso_date")]
        day: Date,
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "time_iso_date::iso_date::option"
        )]
        deadline: Option<Date>,
        #[serde(with = "time::serde::rfc3339")]
        at: OffsetDateTime,
    }

    #[test]
    fn the_same_json_both_ways() {
        let mut generator = Generator::new(7);
        for index in 0..2_000 {
            let at = random_moment(&mut generator);
            let deadline = (index % 3 != 0).then(|| at.date().saturating_add(Duration::days(30)));
            let ours = Ours {
                day: at.date(),
                deadline,
                at,
            };
            let theirs = Theirs {
                day: at.date(),
                deadline,
                at,
            };
            let json = serde_json::to_string(&ours).unwrap();
            assert_eq!(json, serde_json::to_string(&theirs).unwrap());
            let back: Ours = serde_json::from_str(&json).unwrap();
            let back_theirs: Theirs = serde_json::from_str(&json).unwrap();
            assert_eq!(
                (back.day, back.deadline),
                (back_theirs.day, back_theirs.deadline)
            );
            assert_eq!(back.at.offset(), back_theirs.at.offset());
            assert_eq!(back, ours);
        }
    }

    #[test]
    fn null_and_missing_deadlines() {
        for json in [
            r#"{"day":"2026-11-29","at":"2026-11-29T10:00:00+08:00"}"#,
            r#"{"day":"2026-11-29","deadline":null,"at":"2026-11-29T10:00:00+08:00"}"#,
        ] {
            let ours: Ours = serde_json::from_str(json).unwrap();
            let theirs: Theirs = serde_json::from_str(json).unwrap();
            assert_eq!(ours.deadline, None);
            assert_eq!(theirs.deadline, None);
        }
    }

    #[test]
    fn bad_json_both_reject_and_ours_says_where() {
        for (json, expected_message) in [
            (
                r#"{"day":"2026-02-30","at":"2026-11-29T10:00:00Z"}"#,
                "February 2026 has no day 30 at line 1 column 19",
            ),
            (
                r#"{"day":"2026-02-01","deadline":"2026-02-30","at":"2026-11-29T10:00:00Z"}"#,
                "February 2026 has no day 30 at line 1 column 43",
            ),
            (
                r#"{"day":"2026-02-01","at":"2026-11-29T24:00:00Z"}"#,
                "hour 24 is out of range (00-23) at line 1 column 47",
            ),
            (
                r#"{"day":20260201,"at":"2026-11-29T10:00:00Z"}"#,
                "a date string",
            ),
            (
                r#"{"day":"2026-02-01","at":1}"#,
                "an RFC 3339 date-time string",
            ),
            (
                r#"{"day":"2026-02-01","deadline":5,"at":"2026-11-29T10:00:00Z"}"#,
                "a date string",
            ),
        ] {
            assert!(
                serde_json::from_str::<Theirs>(json).is_err(),
                "time accepts {json}"
            );
            let error = serde_json::from_str::<Ours>(json).unwrap_err().to_string();
            assert!(error.contains(expected_message), "{json}: {error}");
        }
    }

    #[test]
    fn unwritable_moments_fail_to_serialise_in_both() {
        let at = datetime!(2026-11-29 10:00 UTC).replace_offset(offset!(+01:00:30));
        let ours = Ours {
            day: at.date(),
            deadline: None,
            at,
        };
        let theirs = Theirs {
            day: at.date(),
            deadline: None,
            at,
        };
        assert!(serde_json::to_string(&theirs).is_err());
        let error = serde_json::to_string(&ours).unwrap_err().to_string();
        assert!(error.contains("an offset with seconds"), "{error}");
    }
}
