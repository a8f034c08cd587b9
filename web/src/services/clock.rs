//! The device's clock and a source of random ids: the only place the app reads either, so that
//! state/ and zicha-core stay pure.

use time::{Date, Month, OffsetDateTime, UtcOffset};

/// Today in the device's time zone.
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = Month::try_from(now.get_month() as u8 + 1).unwrap_or(Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(Date::MIN)
}

/// Now, with the device's UTC offset (whole seconds).
pub fn now() -> OffsetDateTime {
    let now = js_sys::Date::new_0();
    let offset_minutes = -(now.get_timezone_offset() as i32);
    let offset = UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap_or(UtcOffset::UTC);
    let seconds = (now.get_time() / 1000.0).floor() as i64;
    OffsetDateTime::from_unix_timestamp(seconds)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
        .to_offset(offset)
}

/// A random 32-bit number for ids (not for secrets).
pub fn random_u32() -> u32 {
    (js_sys::Math::random() * f64::from(u32::MAX)) as u32
}
