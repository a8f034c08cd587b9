//! Dates as text: days as `YYYY-MM-DD` and moments as RFC 3339, both ways, with serde `with`
//! modules for the JSON formats.
//!
//! The values stay `time::Date` and `time::OffsetDateTime` (their arithmetic is time's); only the
//! text is written here. time's own `parsing` and `formatting` features bring its generic
//! format-description parser and formatter, about 11 KB gzip of the app shell for two fixed
//! formats. These functions write exactly what time writes (`[year]-[month]-[day]` and
//! `well_known::Rfc3339`) and accept exactly the inputs time accepts; the tests compare both over
//! every day from 1900 to 2100 and thousands of generated moments.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::ser::{self, Serializer};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::{Error, Result};

/// The name of the day format in error messages.
const DATE: &str = "date (YYYY-MM-DD)";
/// The name of the moment format in error messages.
const DATE_TIME: &str = "RFC 3339 date-time";

/// Parses a day written `YYYY-MM-DD`, exactly as time's `[year]-[month]-[day]` does.
///
/// The year has four digits and may have a sign (`-0044-03-15`, `+2026-11-29`); the day must
/// exist (no 2026-02-30). Surrounding spaces are not trimmed.
pub fn parse_date(text: &str) -> Result<Date> {
    let mut cursor = Cursor::new(text, DATE);
    let year = cursor.year()?;
    cursor.literal(b'-', "after the year")?;
    let month = cursor.month()?;
    cursor.literal(b'-', "after the month")?;
    let day = cursor.digits(2, "day")?;
    cursor.finish()?;
    cursor.date(year, month, day)
}

/// Formats a day as `YYYY-MM-DD`, exactly as time's `[year]-[month]-[day]` does (years before 1 are
/// written with a minus sign and four digits: `-0044-03-15`).
pub fn format_date(date: Date) -> String {
    let year = date.year();
    let sign = if year < 0 { "-" } else { "" };
    format!(
        "{sign}{:04}-{:02}-{:02}",
        year.unsigned_abs(),
        u8::from(date.month()),
        date.day()
    )
}

/// Parses an RFC 3339 date-time (`2026-11-29T10:00:00+08:00`), exactly as time's
/// `well_known::Rfc3339` does.
///
/// Like time it takes any single character between date and time (RFC 3339 allows a space for
/// `T`), `z` for `Z`, any number of fraction digits (nanoseconds beyond the ninth digit are cut
/// off, not rounded), and a leap second (`23:59:60` UTC on the last day of a month) as the
/// nanosecond before the next second.
pub fn parse_rfc3339(text: &str) -> Result<OffsetDateTime> {
    let mut cursor = Cursor::new(text, DATE_TIME);
    let year = cursor.digits(4, "year")?;
    cursor.literal(b'-', "after the year")?;
    let month = cursor.digits(2, "month")?;
    cursor.literal(b'-', "after the month")?;
    let day = cursor.digits(2, "day")?;
    // RFC 3339 (5.6) lets applications separate date and time by another character than `T`,
    // usually a space; time accepts any one byte there.
    if cursor.rest.is_empty() {
        return Err(cursor.fail(format!(
            "expected 'T' and the time at byte {}",
            cursor.position()
        )));
    }
    cursor.rest = &cursor.rest[1..];
    let hour = cursor.digits(2, "hour")?;
    cursor.literal(b':', "after the hour")?;
    let minute = cursor.digits(2, "minute")?;
    cursor.literal(b':', "after the minute")?;
    let mut second = cursor.digits(2, "second")?;
    let mut nanosecond = 0;
    if cursor.peek() == Some(b'.') {
        cursor.rest = &cursor.rest[1..];
        if !cursor.peek().is_some_and(|byte| byte.is_ascii_digit()) {
            return Err(cursor.fail(format!(
                "expected a digit of the fraction of a second at byte {}",
                cursor.position()
            )));
        }
        let mut scale = 100_000_000;
        while let Some(digit) = cursor.peek().filter(u8::is_ascii_digit) {
            nanosecond += u32::from(digit - b'0') * scale;
            scale /= 10;
            cursor.rest = &cursor.rest[1..];
        }
    }
    let offset = cursor.offset()?;
    cursor.finish()?;

    // time represents a leap second as the nanosecond before the next second.
    let leap_second = second == 60;
    if leap_second {
        second = 59;
        nanosecond = 999_999_999;
    }
    let date = cursor.date(year as i32, checked_month(&cursor, month)?, day)?;
    if hour > 23 {
        return Err(cursor.fail(format!("hour {hour:02} is out of range (00-23)")));
    }
    if minute > 59 {
        return Err(cursor.fail(format!("minute {minute:02} is out of range (00-59)")));
    }
    if second > 59 {
        return Err(cursor.fail(format!(
            "second {second:02} is out of range (00-59, or 60 for a leap second)"
        )));
    }
    let time = Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanosecond)
        .map_err(|error| cursor.fail(error.to_string()))?;
    let moment = OffsetDateTime::new_in_offset(date, time, offset);
    if leap_second && !is_last_second_of_month_utc(moment) {
        return Err(cursor.fail(
            "second 60 (a leap second) exists only at 23:59:60 UTC on the last day of a month",
        ));
    }
    Ok(moment)
}

/// Formats a moment in RFC 3339, exactly as time's `well_known::Rfc3339` does: `Z` for UTC,
/// otherwise `+hh:mm`/`-hh:mm`; a fraction only when the nanoseconds are not zero, with its trailing
/// zeros removed (`10:00:00.5+08:00`).
///
/// Fails, as time does, for years outside 0000-9999 and for offsets RFC 3339 cannot write (seconds,
/// or more than 23 hours).
pub fn format_rfc3339(moment: OffsetDateTime) -> Result<String> {
    let year = moment.year();
    let (offset_hours, offset_minutes, offset_seconds) = moment.offset().as_hms();
    let fail = |message: String| Error::Date {
        text: format!("{moment}"),
        format: DATE_TIME,
        message,
    };
    if !(0..10_000).contains(&year) {
        return Err(fail(format!(
            "year {year} cannot be written (RFC 3339 has years 0000-9999)"
        )));
    }
    if offset_hours.unsigned_abs() > 23 {
        return Err(fail(format!(
            "an offset of {offset_hours} hours cannot be written (RFC 3339 has up to 23)"
        )));
    }
    if offset_seconds != 0 {
        return Err(fail(
            "an offset with seconds cannot be written (RFC 3339 has hours and minutes)".into(),
        ));
    }
    let mut text = format!(
        "{year:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        u8::from(moment.month()),
        moment.day(),
        moment.hour(),
        moment.minute(),
        moment.second()
    );
    let nanosecond = moment.nanosecond();
    if nanosecond != 0 {
        let digits = format!("{nanosecond:09}");
        text.push('.');
        text.push_str(digits.trim_end_matches('0'));
    }
    if moment.offset().is_utc() {
        text.push('Z');
    } else {
        let sign = if moment.offset().is_negative() {
            '-'
        } else {
            '+'
        };
        text.push(sign);
        text.push_str(&format!(
            "{:02}:{:02}",
            offset_hours.unsigned_abs(),
            offset_minutes.unsigned_abs()
        ));
    }
    Ok(text)
}

/// `#[serde(with = "zicha_core::dates::iso_date")]`: a `Date` as a `YYYY-MM-DD` string, the same
/// text as time's `serde::format_description!(.., Date, "[year]-[month]-[day]")`.
pub mod iso_date {
    use super::*;

    /// Writes the date as a `YYYY-MM-DD` string.
    pub fn serialize<S: Serializer>(
        date: &Date,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_date(*date))
    }

    /// Reads a `YYYY-MM-DD` string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Date, D::Error> {
        deserializer.deserialize_str(DateVisitor)
    }

    /// `#[serde(with = "zicha_core::dates::iso_date::option")]`: an `Option<Date>` as a
    /// `YYYY-MM-DD` string or null.
    pub mod option {
        use super::*;

        /// Writes the date as a `YYYY-MM-DD` string, or null.
        #[allow(clippy::ref_option)] // the signature serde's `with` calls
        pub fn serialize<S: Serializer>(
            date: &Option<Date>,
            serializer: S,
        ) -> std::result::Result<S::Ok, S::Error> {
            match date {
                Some(date) => serializer.serialize_some(&format_date(*date)),
                None => serializer.serialize_none(),
            }
        }

        /// Reads a `YYYY-MM-DD` string or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> std::result::Result<Option<Date>, D::Error> {
            deserializer.deserialize_option(OptionDateVisitor)
        }
    }
}

/// `#[serde(with = "zicha_core::dates::rfc3339")]`: an `OffsetDateTime` as an RFC 3339 string, the
/// same text as `time::serde::rfc3339`.
pub mod rfc3339 {
    use super::*;

    /// Writes the moment as an RFC 3339 string; fails for what RFC 3339 cannot write (see
    /// [`format_rfc3339`]).
    pub fn serialize<S: Serializer>(
        moment: &OffsetDateTime,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        let text = format_rfc3339(*moment).map_err(<S::Error as ser::Error>::custom)?;
        serializer.serialize_str(&text)
    }

    /// Reads an RFC 3339 string.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<OffsetDateTime, D::Error> {
        deserializer.deserialize_str(DateTimeVisitor)
    }
}

struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Date;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a date string (YYYY-MM-DD)")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<Date, E> {
        parse_date(text).map_err(E::custom)
    }
}

struct OptionDateVisitor;

impl<'de> Visitor<'de> for OptionDateVisitor {
    type Value = Option<Date>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a date string (YYYY-MM-DD) or null")
    }

    fn visit_some<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> std::result::Result<Option<Date>, D::Error> {
        deserializer.deserialize_str(DateVisitor).map(Some)
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Option<Date>, E> {
        Ok(None)
    }
}

struct DateTimeVisitor;

impl Visitor<'_> for DateTimeVisitor {
    type Value = OffsetDateTime;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an RFC 3339 date-time string")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> std::result::Result<OffsetDateTime, E> {
        parse_rfc3339(text).map_err(E::custom)
    }
}

/// The rest of the text being parsed, and what to say when it is wrong.
struct Cursor<'a> {
    text: &'a str,
    rest: &'a [u8],
    format: &'static str,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str, format: &'static str) -> Self {
        Cursor {
            text,
            rest: text.as_bytes(),
            format,
        }
    }

    fn fail(&self, message: impl Into<String>) -> Error {
        Error::Date {
            text: self.text.to_owned(),
            format: self.format,
            message: message.into(),
        }
    }

    /// The byte offset of the rest in the text, for messages.
    fn position(&self) -> usize {
        self.text.len() - self.rest.len()
    }

    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Exactly `count` ASCII digits.
    fn digits(&mut self, count: usize, what: &str) -> Result<u32> {
        let digits = self
            .rest
            .get(..count)
            .filter(|digits| digits.iter().all(u8::is_ascii_digit))
            .ok_or_else(|| {
                self.fail(format!(
                    "expected {count} digits of the {what} at byte {}",
                    self.position()
                ))
            })?;
        self.rest = &self.rest[count..];
        Ok(digits
            .iter()
            .fold(0, |value, digit| value * 10 + u32::from(digit - b'0')))
    }

    fn literal(&mut self, byte: u8, place: &str) -> Result<()> {
        if self.peek() != Some(byte) {
            return Err(self.fail(format!(
                "expected '{}' {place} at byte {}",
                char::from(byte),
                self.position()
            )));
        }
        self.rest = &self.rest[1..];
        Ok(())
    }

    /// The year of `[year]` (time without `large-dates`): four digits, with an optional sign.
    fn year(&mut self) -> Result<i32> {
        let negative = match self.peek() {
            Some(b'-') => true,
            Some(b'+') => false,
            _ => return Ok(self.digits(4, "year")? as i32),
        };
        self.rest = &self.rest[1..];
        let year = self.digits(4, "year")? as i32;
        Ok(if negative { -year } else { year })
    }

    /// The month of `[month]`: two digits, 01 to 12.
    fn month(&mut self) -> Result<Month> {
        let month = self.digits(2, "month")?;
        checked_month(self, month)
    }

    /// The offset: `Z`, `z`, or a sign, two digits of hours (up to 23), `:` and two of minutes.
    fn offset(&mut self) -> Result<UtcOffset> {
        let negative = match self.peek() {
            Some(b'Z' | b'z') => {
                self.rest = &self.rest[1..];
                return Ok(UtcOffset::UTC);
            }
            Some(b'+') => false,
            Some(b'-') => true,
            _ => {
                return Err(self.fail(format!(
                    "expected 'Z' or an offset (+hh:mm or -hh:mm) at byte {}",
                    self.position()
                )));
            }
        };
        self.rest = &self.rest[1..];
        let hours = self.digits(2, "offset hour")?;
        if hours > 23 {
            return Err(self.fail(format!("offset hour {hours:02} is out of range (00-23)")));
        }
        self.literal(b':', "in the offset")?;
        let minutes = self.digits(2, "offset minute")?;
        if minutes > 59 {
            return Err(self.fail(format!(
                "offset minute {minutes:02} is out of range (00-59)"
            )));
        }
        let sign = if negative { -1 } else { 1 };
        UtcOffset::from_hms(sign * hours as i8, sign * minutes as i8, 0)
            .map_err(|error| self.fail(error.to_string()))
    }

    /// Nothing may follow.
    fn finish(&self) -> Result<()> {
        if self.rest.is_empty() {
            return Ok(());
        }
        Err(self.fail(format!(
            "unexpected text after the {} at byte {}",
            if self.format == DATE {
                "date"
            } else {
                "offset"
            },
            self.position()
        )))
    }

    /// A calendar day that exists (four-digit years are all in time's range).
    fn date(&self, year: i32, month: Month, day: u32) -> Result<Date> {
        let length = u32::from(month.length(year));
        if day == 0 || day > length {
            return Err(self.fail(format!("{month} {year} has no day {day:02}")));
        }
        Date::from_calendar_date(year, month, day as u8)
            .map_err(|error| self.fail(error.to_string()))
    }
}

fn checked_month(cursor: &Cursor<'_>, month: u32) -> Result<Month> {
    u8::try_from(month)
        .ok()
        .and_then(|month| Month::try_from(month).ok())
        .ok_or_else(|| cursor.fail(format!("month {month:02} is out of range (01-12)")))
}

/// Whether a parsed leap second (represented as 23:59:59.999999999) falls on the last second of a
/// month in UTC, the only place leap seconds are inserted.
fn is_last_second_of_month_utc(moment: OffsetDateTime) -> bool {
    let local = PrimitiveDateTime::new(moment.date(), moment.time());
    let offset = Duration::seconds(i64::from(moment.offset().whole_seconds()));
    // Out of time's range of years in UTC: time rejects these too.
    let Some(utc) = local.checked_sub(offset) else {
        return false;
    };
    utc.hour() == 23
        && utc.minute() == 59
        && utc.second() == 59
        && utc.day() == utc.month().length(utc.year())
}

#[cfg(test)]
mod tests;
