//! Handwritten signatures as data: strokes of points normalised to the pad, so a signature drawn
//! on a phone in portrait looks the same on a rotated phone, a laptop or in the PDF. The pixels
//! are drawn in services/signature.rs and components/signature_pad.rs; everything here is pure.
//!
//! The pad has a fixed aspect ratio ([`ASPECT`]). A point's `x` is a fraction of the pad's width
//! and `y` a fraction of its height, so [`Frame::fit`] can place the pad in any box (centred, as
//! large as fits) without distorting or cutting off a stroke.

use serde::{Deserialize, Serialize};

/// Width : height of the signature pad.
pub const ASPECT: f32 = 3.0;

/// Points closer than this to the previous point of the stroke are dropped, measured in pad
/// widths (0.002 is 2 px on a 1,000 px wide pad): a long stroke then stores a few hundred points,
/// not the thousands a 240 Hz pen reports.
pub const MIN_DISTANCE: f32 = 0.002;

/// The pressure of a pointer that reports none (the Pointer Events default for mice).
pub const DEFAULT_PRESSURE: f32 = 0.5;

/// Line width at pressure 0 and at pressure 1, in pad widths. At the default pressure a line on a
/// 330 px wide pad (a 360 px phone) is 2 px wide, on a 900 px report box 5.4 px.
const MIN_WIDTH: f64 = 0.003;
const MAX_WIDTH: f64 = 0.009;

/// Coordinates and pressures are stored to 1/10,000 (a tenth of a pixel on a 1,000 px pad), which
/// keeps the stored JSON short without a visible difference.
const STEPS: f32 = 10_000.0;

/// One sampled point of a stroke.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    /// Fraction of the pad's width, 0 (left) to 1 (right).
    pub x: f32,
    /// Fraction of the pad's height, 0 (top) to 1 (bottom).
    pub y: f32,
    /// Pressure, 0 to 1; [`DEFAULT_PRESSURE`] when the device reports none.
    #[serde(default = "default_pressure")]
    pub p: f32,
}

fn default_pressure() -> f32 {
    DEFAULT_PRESSURE
}

impl Point {
    /// A point clamped to the pad (a captured pointer may leave the box) and rounded for storage;
    /// `pressure` goes through [`pressure`].
    pub fn new(x: f32, y: f32, raw_pressure: f32) -> Point {
        Point {
            x: quantise(x),
            y: quantise(y),
            p: quantise(pressure(raw_pressure)),
        }
    }

    /// Distance to `other` in pad widths (a step in `y` is `1 / ASPECT` as long as one in `x`).
    pub fn distance(self, other: Point) -> f32 {
        let dx = self.x - other.x;
        let dy = (self.y - other.y) / ASPECT;
        (dx * dx + dy * dy).sqrt()
    }

    /// The point halfway to `other`, pressure included.
    pub fn midpoint(self, other: Point) -> Point {
        Point {
            x: (self.x + other.x) / 2.0,
            y: (self.y + other.y) / 2.0,
            p: (self.p + other.p) / 2.0,
        }
    }
}

/// Clamps to 0..1 and rounds to [`STEPS`]; anything not a number becomes 0.
fn quantise(value: f32) -> f32 {
    if !value.is_finite() {
        return 0.0;
    }
    (value.clamp(0.0, 1.0) * STEPS).round() / STEPS
}

/// A device's pressure reading as stored: within 0..1, and [`DEFAULT_PRESSURE`] for devices that
/// report 0 (or nothing usable) while touching, which the Pointer Events spec allows for hardware
/// without pressure support.
pub fn pressure(raw: f32) -> f32 {
    if raw.is_finite() && raw > 0.0 {
        raw.min(1.0)
    } else {
        DEFAULT_PRESSURE
    }
}

/// One stroke: the points from pen down to pen up.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Stroke {
    /// The points, in drawing order (thinned, see [`MIN_DISTANCE`]).
    pub points: Vec<Point>,
}

impl Stroke {
    /// What to draw for the whole stroke: the segments [`Pad`] hands out while it is drawn, in
    /// the same order, so a redraw looks exactly like the live drawing.
    pub fn segments(&self) -> Vec<Segment> {
        let points = &self.points;
        let Some(&first) = points.first() else {
            return Vec::new();
        };
        let mut segments = vec![Segment::dot(first)];
        segments.extend((1..points.len()).map(|idx| settled_segment(points, idx)));
        segments.extend(tail_segment(points));
        segments
    }
}

/// The segment that becomes final once `points[idx]` (idx ≥ 1) has arrived: the curve through
/// `points[idx - 1]` between the midpoints on either side of it (a quadratic Bézier with the
/// sampled point as control point), which smooths the polyline without overshooting it. The first
/// one is a straight line from the first point to the first midpoint.
fn settled_segment(points: &[Point], idx: usize) -> Segment {
    let previous = points[idx - 1];
    let end = previous.midpoint(points[idx]);
    if idx == 1 {
        Segment {
            from: previous,
            control: None,
            to: end,
        }
    } else {
        Segment {
            from: points[idx - 2].midpoint(previous),
            control: Some(previous),
            to: end,
        }
    }
}

/// The straight piece from the last midpoint to the last point, drawn when the pen lifts.
fn tail_segment(points: &[Point]) -> Option<Segment> {
    match points {
        [.., before, last] => Some(Segment {
            from: before.midpoint(*last),
            control: None,
            to: *last,
        }),
        _ => None,
    }
}

/// A piece of a stroke to draw: a straight line, a quadratic curve (with `control`), or a dot
/// (`from == to`, no control: a tap).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Segment {
    /// Start.
    pub from: Point,
    /// Control point of a quadratic curve; `None` for a straight line.
    pub control: Option<Point>,
    /// End.
    pub to: Point,
}

impl Segment {
    fn dot(at: Point) -> Segment {
        Segment {
            from: at,
            control: None,
            to: at,
        }
    }

    /// Whether this is a dot rather than a line.
    pub fn is_dot(&self) -> bool {
        self.control.is_none() && self.from.x == self.to.x && self.from.y == self.to.y
    }

    /// The pressure the segment is drawn with: its control point's, or its ends' average.
    pub fn pressure(&self) -> f32 {
        match self.control {
            Some(control) => control.p,
            None => (self.from.p + self.to.p) / 2.0,
        }
    }
}

/// All strokes of one signature, in drawing order. Stored as a JSON array of
/// `{"points": [{"x": …, "y": …, "p": …}, …]}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Strokes(pub Vec<Stroke>);

/// The smallest rectangle holding every point, in pad fractions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bounds {
    /// Smallest `x`.
    pub left: f32,
    /// Smallest `y`.
    pub top: f32,
    /// Largest `x`.
    pub right: f32,
    /// Largest `y`.
    pub bottom: f32,
}

impl Strokes {
    /// Whether there is nothing to see: no stroke with a point.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|stroke| stroke.points.is_empty())
    }

    /// The number of points over all strokes.
    pub fn n_points(&self) -> usize {
        self.0.iter().map(|stroke| stroke.points.len()).sum()
    }

    /// The rectangle around all points (line width not included); `None` when empty.
    pub fn bounds(&self) -> Option<Bounds> {
        let mut points = self.0.iter().flat_map(|stroke| &stroke.points);
        let first = points.next()?;
        let start = Bounds {
            left: first.x,
            top: first.y,
            right: first.x,
            bottom: first.y,
        };
        Some(points.fold(start, |bounds, point| Bounds {
            left: bounds.left.min(point.x),
            top: bounds.top.min(point.y),
            right: bounds.right.max(point.x),
            bottom: bounds.bottom.max(point.y),
        }))
    }
}

/// Where the pad sits in a box of pixels: as large as fits at [`ASPECT`], centred. The same
/// strokes drawn into a frame of any size come out the same shape, only scaled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    /// Left edge of the pad in the box.
    pub left: f64,
    /// Top edge of the pad in the box.
    pub top: f64,
    /// Width of the pad.
    pub width: f64,
    /// Height of the pad (`width / ASPECT`).
    pub height: f64,
}

impl Frame {
    /// The pad fitted into a `box_width` × `box_height` box.
    pub fn fit(box_width: f64, box_height: f64) -> Frame {
        let box_width = box_width.max(0.0);
        let box_height = box_height.max(0.0);
        let aspect = f64::from(ASPECT);
        let width = box_width.min(box_height * aspect);
        let height = width / aspect;
        Frame {
            left: (box_width - width) / 2.0,
            top: (box_height - height) / 2.0,
            width,
            height,
        }
    }

    /// The pixel position of `point` in the box.
    pub fn to_pixels(&self, point: Point) -> (f64, f64) {
        (
            self.left + f64::from(point.x) * self.width,
            self.top + f64::from(point.y) * self.height,
        )
    }

    /// The point at pixel position (`x`, `y`) of the box, clamped to the pad; `None` while the
    /// pad has no size (not laid out yet).
    pub fn to_point(&self, x: f64, y: f64, raw_pressure: f32) -> Option<Point> {
        if self.width <= 0.0 || self.height <= 0.0 {
            return None;
        }
        let fraction_x = (x - self.left) / self.width;
        let fraction_y = (y - self.top) / self.height;
        Some(Point::new(
            fraction_x as f32,
            fraction_y as f32,
            raw_pressure,
        ))
    }

    /// Line width in pixels for a pressure: proportional to the pad's width, so a resized pad
    /// shows the same signature only larger or smaller.
    pub fn line_width(&self, pressure: f32) -> f64 {
        let pressure = f64::from(pressure.clamp(0.0, 1.0));
        self.width * (MIN_WIDTH + (MAX_WIDTH - MIN_WIDTH) * pressure)
    }
}

/// The stroke under the pen, with the last point thinning dropped (kept so the stroke still ends
/// where the pen lifted).
#[derive(Clone, Debug, Default, PartialEq)]
struct Active {
    stroke: Stroke,
    dropped: Option<Point>,
}

/// A signature being drawn: the finished strokes and the one under the pen. Each input returns
/// the segments to draw for it, so the canvas is painted incrementally while [`Stroke::segments`]
/// repaints the same picture after a resize.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pad {
    strokes: Strokes,
    active: Option<Active>,
}

impl Pad {
    /// A pad showing `strokes`.
    pub fn new(strokes: Strokes) -> Pad {
        Pad {
            strokes,
            active: None,
        }
    }

    /// The finished strokes.
    pub fn strokes(&self) -> &Strokes {
        &self.strokes
    }

    /// The stroke being drawn.
    pub fn active(&self) -> Option<&Stroke> {
        self.active.as_ref().map(|active| &active.stroke)
    }

    /// Whether a stroke is being drawn.
    pub fn is_drawing(&self) -> bool {
        self.active.is_some()
    }

    /// Whether there is no ink at all: no finished stroke and none being drawn.
    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty() && self.active.is_none()
    }

    /// Every segment of the picture: finished strokes, then the one being drawn (without its
    /// tail, which is drawn when the pen lifts).
    pub fn segments(&self) -> Vec<Segment> {
        let mut segments: Vec<Segment> = self.strokes.0.iter().flat_map(Stroke::segments).collect();
        if let Some(active) = &self.active {
            let points = &active.stroke.points;
            segments.extend(points.first().map(|&first| Segment::dot(first)));
            segments.extend((1..points.len()).map(|idx| settled_segment(points, idx)));
        }
        segments
    }

    /// Replaces the finished strokes (new props); a stroke being drawn goes on.
    pub fn load(&mut self, strokes: Strokes) {
        self.strokes = strokes;
    }

    /// Pen down at `point`. A stroke still open (a lost pointerup) is finished first.
    pub fn begin(&mut self, point: Point) -> Vec<Segment> {
        let mut segments = self.end().unwrap_or_default();
        self.active = Some(Active {
            stroke: Stroke {
                points: vec![point],
            },
            dropped: None,
        });
        segments.push(Segment::dot(point));
        segments
    }

    /// The pen moved to `point`: kept if it is at least [`MIN_DISTANCE`] from the last kept
    /// point. Returns the segment that became final, if any; ignored without a pen down.
    pub fn push_point(&mut self, point: Point) -> Option<Segment> {
        let active = self.active.as_mut()?;
        let points = &mut active.stroke.points;
        let last = *points.last()?;
        if point.distance(last) < MIN_DISTANCE {
            active.dropped = Some(point);
            return None;
        }
        active.dropped = None;
        points.push(point);
        Some(settled_segment(points, points.len() - 1))
    }

    /// Pen up: the stroke joins the finished ones. Returns the segments still to draw, or `None`
    /// when no stroke was being drawn (then nothing changed and nothing is to be saved).
    pub fn end(&mut self) -> Option<Vec<Segment>> {
        let Active {
            mut stroke,
            dropped,
        } = self.active.take()?;
        let mut segments = Vec::new();
        if let Some(point) = dropped
            && stroke
                .points
                .last()
                .is_some_and(|last| (last.x, last.y) != (point.x, point.y))
        {
            // The pen stopped less than MIN_DISTANCE past the last kept point: end exactly there.
            stroke.points.push(point);
            segments.push(settled_segment(&stroke.points, stroke.points.len() - 1));
        }
        segments.extend(tail_segment(&stroke.points));
        self.strokes.0.push(stroke);
        Some(segments)
    }

    /// Removes every stroke, the one being drawn included.
    pub fn clear(&mut self) {
        self.strokes = Strokes::default();
        self.active = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(x: f32, y: f32) -> Point {
        Point::new(x, y, DEFAULT_PRESSURE)
    }

    fn points(stroke: &Stroke) -> Vec<(f32, f32)> {
        stroke
            .points
            .iter()
            .map(|point| (point.x, point.y))
            .collect()
    }

    /// Draws one stroke through `input` (pen down at the first point, up after the last) and
    /// compares the stored points.
    #[track_caller]
    fn check_stroke(input: &[(f32, f32)], expected: &[(f32, f32)]) {
        let mut pad = Pad::default();
        let (&(x, y), rest) = input.split_first().expect("at least one point");
        pad.begin(point(x, y));
        for &(x, y) in rest {
            pad.push_point(point(x, y));
        }
        pad.end().expect("a stroke was open");
        assert_eq!(pad.strokes().0.len(), 1);
        assert_eq!(points(&pad.strokes().0[0]), expected);
    }

    #[test]
    fn thinning() {
        check_stroke(&[(0.1, 0.1)], &[(0.1, 0.1)]);
        check_stroke(&[(0.1, 0.1), (0.2, 0.1)], &[(0.1, 0.1), (0.2, 0.1)]);
        // Closer than MIN_DISTANCE: dropped, but the last one ends the stroke.
        check_stroke(
            &[(0.1, 0.1), (0.1005, 0.1), (0.101, 0.1), (0.2, 0.1)],
            &[(0.1, 0.1), (0.2, 0.1)],
        );
        check_stroke(
            &[(0.1, 0.1), (0.2, 0.1), (0.2005, 0.1), (0.201, 0.1)],
            &[(0.1, 0.1), (0.2, 0.1), (0.201, 0.1)],
        );
        // Slow drawing still moves on: distance counts from the last kept point.
        check_stroke(
            &[(0.1, 0.1), (0.1015, 0.1), (0.103, 0.1), (0.104, 0.1)],
            &[(0.1, 0.1), (0.103, 0.1), (0.104, 0.1)],
        );
        // A step in y is a third as long as one in x (the pad is 3:1): 0.005 of the height is
        // 0.0017 of the width.
        check_stroke(
            &[(0.5, 0.5), (0.5, 0.505), (0.5, 0.6)],
            &[(0.5, 0.5), (0.5, 0.6)],
        );
        check_stroke(
            &[(0.5, 0.5), (0.5, 0.507), (0.5, 0.6)],
            &[(0.5, 0.5), (0.5, 0.507), (0.5, 0.6)],
        );
        // A pen that lifts where it went down.
        check_stroke(&[(0.3, 0.3), (0.3, 0.3)], &[(0.3, 0.3)]);
        check_stroke(&[(0.3, 0.3), (0.3001, 0.3)], &[(0.3, 0.3), (0.3001, 0.3)]);
    }

    #[test]
    fn a_tap_is_one_point() {
        let mut pad = Pad::default();
        pad.begin(Point::new(0.3, 0.3, 1.0));
        // The same place with another pressure (devices report 0 as the pen lifts).
        pad.push_point(Point::new(0.3, 0.3, 0.0));
        pad.end();
        assert_eq!(pad.strokes().0[0].points, [Point::new(0.3, 0.3, 1.0)]);
    }

    #[test]
    fn long_stroke_is_thinned() {
        let mut pad = Pad::default();
        pad.begin(point(0.0, 0.5));
        // 10,000 samples across the pad, 0.0001 apart.
        for idx in 1..=10_000 {
            pad.push_point(point(idx as f32 / 10_000.0, 0.5));
        }
        pad.end();
        let n_points = pad.strokes().n_points();
        assert!((450..=520).contains(&n_points), "{n_points} points");
        assert_eq!(pad.strokes().0[0].points.last(), Some(&point(1.0, 0.5)));
    }

    #[track_caller]
    fn check_point(x: f32, y: f32, pressure: f32, expected: Point) {
        assert_eq!(Point::new(x, y, pressure), expected);
    }

    #[test]
    fn points_are_clamped_and_rounded() {
        let p = DEFAULT_PRESSURE;
        check_point(
            0.25,
            0.75,
            0.3,
            Point {
                x: 0.25,
                y: 0.75,
                p: 0.3,
            },
        );
        check_point(-0.2, 1.7, 0.5, Point { x: 0.0, y: 1.0, p });
        check_point(
            0.123_456,
            0.5,
            0.5,
            Point {
                x: 0.1235,
                y: 0.5,
                p,
            },
        );
        check_point(f32::NAN, f32::INFINITY, 0.5, Point { x: 0.0, y: 0.0, p });
        // Pressure: 0 while touching means "unknown", above 1 is clamped.
        check_point(0.5, 0.5, 0.0, Point { x: 0.5, y: 0.5, p });
        check_point(0.5, 0.5, f32::NAN, Point { x: 0.5, y: 0.5, p });
        check_point(
            0.5,
            0.5,
            1.5,
            Point {
                x: 0.5,
                y: 0.5,
                p: 1.0,
            },
        );
        check_point(
            0.5,
            0.5,
            0.0001,
            Point {
                x: 0.5,
                y: 0.5,
                p: 0.0001,
            },
        );
    }

    #[track_caller]
    fn check_frame(box_width: f64, box_height: f64, expected: Frame) {
        assert_eq!(Frame::fit(box_width, box_height), expected);
    }

    #[test]
    fn frames_keep_the_aspect_ratio() {
        let frame = |left, top, width, height| Frame {
            left,
            top,
            width,
            height,
        };
        check_frame(300.0, 100.0, frame(0.0, 0.0, 300.0, 100.0));
        // Too tall (a phone turned to portrait with a square box): centred vertically.
        check_frame(300.0, 300.0, frame(0.0, 100.0, 300.0, 100.0));
        // Too wide: centred horizontally.
        check_frame(900.0, 100.0, frame(300.0, 0.0, 300.0, 100.0));
        check_frame(0.0, 0.0, frame(0.0, 0.0, 0.0, 0.0));
        check_frame(-5.0, 10.0, frame(0.0, 5.0, 0.0, 0.0));
    }

    #[track_caller]
    fn check_pixels(box_size: (f64, f64), point: Point, expected: (f64, f64)) {
        let frame = Frame::fit(box_size.0, box_size.1);
        assert_eq!(frame.to_pixels(point), expected);
        // And back: the same point, whatever the box.
        assert_eq!(frame.to_point(expected.0, expected.1, point.p), Some(point));
    }

    #[test]
    fn pixels() {
        check_pixels((300.0, 100.0), point(0.0, 0.0), (0.0, 0.0));
        check_pixels((300.0, 100.0), point(1.0, 1.0), (300.0, 100.0));
        check_pixels((300.0, 100.0), point(0.5, 0.25), (150.0, 25.0));
        check_pixels((600.0, 600.0), point(0.5, 0.25), (300.0, 250.0));
        check_pixels((1200.0, 200.0), point(0.5, 0.5), (600.0, 100.0));
        check_pixels((1200.0, 200.0), point(0.0, 1.0), (300.0, 200.0));
    }

    #[test]
    fn pixels_outside_the_pad_are_clamped() {
        let frame = Frame::fit(1200.0, 200.0);
        assert_eq!(frame.to_point(0.0, -50.0, 0.5), Some(point(0.0, 0.0)));
        assert_eq!(frame.to_point(5000.0, 250.0, 0.5), Some(point(1.0, 1.0)));
        assert_eq!(Frame::fit(0.0, 0.0).to_point(0.0, 0.0, 0.5), None);
    }

    #[track_caller]
    fn check_width(box_width: f64, pressure: f32, expected: f64) {
        let width = Frame::fit(box_width, box_width).line_width(pressure);
        assert!((width - expected).abs() < 1e-9, "{width} != {expected}");
    }

    #[test]
    fn line_widths() {
        check_width(1000.0, 0.0, 3.0);
        check_width(1000.0, 0.5, 6.0);
        check_width(1000.0, 1.0, 9.0);
        check_width(1000.0, 7.0, 9.0);
        check_width(330.0, 0.5, 1.98);
        check_width(0.0, 0.5, 0.0);
    }

    #[test]
    fn bounds() {
        assert_eq!(Strokes::default().bounds(), None);
        assert_eq!(Strokes(vec![Stroke::default()]).bounds(), None);
        let strokes = Strokes(vec![
            Stroke {
                points: vec![point(0.2, 0.5), point(0.4, 0.3)],
            },
            Stroke {
                points: vec![point(0.1, 0.6)],
            },
        ]);
        let expected = Bounds {
            left: 0.1,
            top: 0.3,
            right: 0.4,
            bottom: 0.6,
        };
        assert_eq!(strokes.bounds(), Some(expected));
    }

    #[test]
    fn empty() {
        assert!(Strokes::default().is_empty());
        assert!(Strokes(vec![Stroke::default()]).is_empty());
        let mut pad = Pad::default();
        assert!(pad.is_empty());
        pad.begin(point(0.5, 0.5));
        assert!(!pad.is_empty());
        assert!(pad.strokes().is_empty());
        pad.end();
        assert!(!pad.strokes().is_empty());
        pad.clear();
        assert!(pad.is_empty());
    }

    #[test]
    fn pad_inputs() {
        let mut pad = Pad::default();
        // Moves and pen-ups without a pen down change nothing.
        assert_eq!(pad.push_point(point(0.5, 0.5)), None);
        assert_eq!(pad.end(), None);
        assert!(pad.is_empty());

        pad.begin(point(0.1, 0.1));
        pad.push_point(point(0.2, 0.2));
        // A second pen-down without a pen-up (a lost pointerup) keeps the first stroke.
        pad.begin(point(0.5, 0.5));
        assert_eq!(pad.strokes().0.len(), 1);
        pad.push_point(point(0.6, 0.6));
        pad.end();
        assert_eq!(pad.strokes().0.len(), 2);
        assert_eq!(pad.active(), None);
        assert!(!pad.is_drawing());

        // New props while drawing: the stroke under the pen goes on top of them.
        pad.begin(point(0.9, 0.9));
        pad.load(Strokes::default());
        assert!(pad.is_drawing());
        pad.end();
        assert_eq!(points(&pad.strokes().0[0]), [(0.9, 0.9)]);
    }

    /// Every segment handed out while drawing, in order.
    fn live_segments(input: &[(f32, f32)]) -> Vec<Segment> {
        let mut pad = Pad::default();
        let mut segments = pad.begin(point(input[0].0, input[0].1));
        for &(x, y) in &input[1..] {
            segments.extend(pad.push_point(point(x, y)));
        }
        segments.extend(pad.end().expect("a stroke was open"));
        segments
    }

    #[track_caller]
    fn check_redraw(input: &[(f32, f32)], n_segments: usize) {
        let live = live_segments(input);
        let mut pad = Pad::default();
        pad.begin(point(input[0].0, input[0].1));
        for &(x, y) in &input[1..] {
            pad.push_point(point(x, y));
        }
        pad.end();
        // A redraw (after a resize) paints exactly what was painted live.
        assert_eq!(pad.segments(), live);
        assert_eq!(pad.strokes().0[0].segments(), live);
        assert_eq!(live.len(), n_segments);
    }

    #[test]
    fn redraw_equals_live_drawing() {
        check_redraw(&[(0.1, 0.1)], 1);
        check_redraw(&[(0.1, 0.1), (0.2, 0.2)], 3);
        check_redraw(&[(0.1, 0.1), (0.2, 0.2), (0.3, 0.1), (0.4, 0.2)], 5);
        check_redraw(&[(0.1, 0.1), (0.2, 0.2), (0.2005, 0.2)], 4);
    }

    #[test]
    fn segments_are_smooth() {
        let segments = live_segments(&[(0.0, 0.0), (0.2, 0.0), (0.2, 0.6)]);
        let dot = Segment::dot(point(0.0, 0.0));
        let first = Segment {
            from: point(0.0, 0.0),
            control: None,
            to: point(0.1, 0.0),
        };
        let curve = Segment {
            from: point(0.1, 0.0),
            control: Some(point(0.2, 0.0)),
            to: point(0.2, 0.3),
        };
        let tail = Segment {
            from: point(0.2, 0.3),
            control: None,
            to: point(0.2, 0.6),
        };
        assert_eq!(segments, [dot, first, curve, tail]);
        assert!(dot.is_dot());
        assert!(!first.is_dot());
        // Consecutive segments meet, so the stroke has no gaps.
        for pair in segments.windows(2) {
            assert_eq!(pair[0].to, pair[1].from);
        }
    }

    #[test]
    fn segment_pressure() {
        let light = Point::new(0.1, 0.1, 0.2);
        let heavy = Point::new(0.3, 0.1, 0.8);
        let line = Segment {
            from: light,
            control: None,
            to: heavy,
        };
        assert!((line.pressure() - 0.5).abs() < 1e-6);
        let curve = Segment {
            from: light,
            control: Some(heavy),
            to: light,
        };
        assert_eq!(curve.pressure(), 0.8);
    }

    #[track_caller]
    fn check_json(strokes: &Strokes, json: &str) {
        assert_eq!(serde_json::to_string(strokes).unwrap(), json);
        assert_eq!(&serde_json::from_str::<Strokes>(json).unwrap(), strokes);
    }

    #[test]
    fn json() {
        check_json(&Strokes::default(), "[]");
        let strokes = Strokes(vec![Stroke {
            points: vec![Point::new(0.1, 0.25, 0.0), Point::new(0.3333, 1.0, 0.75)],
        }]);
        check_json(
            &strokes,
            r#"[{"points":[{"x":0.1,"y":0.25,"p":0.5},{"x":0.3333,"y":1.0,"p":0.75}]}]"#,
        );
        // A point stored without a pressure gets the default one.
        let read: Strokes = serde_json::from_str(r#"[{"points":[{"x":0.5,"y":0.5}]}]"#).unwrap();
        assert_eq!(read.0[0].points[0].p, DEFAULT_PRESSURE);
    }
}
