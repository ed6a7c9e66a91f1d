//! CloudWatch dashboard custom widgets (feature `cloudwatch-dashboard`).
//!
//! A custom widget calls its function with the widget's parameters and a
//! [`CustomWidgetEvent::widget_context`] describing the dashboard (time range, size, theme).
//! The function returns the widget's content: HTML as a JSON string, or
//! `{"markdown": "..."}`. With `"describe": true` it returns documentation for the widget.

use lambda_events_derive::event;
use serde_json::{Map, Value};

use crate::encodings::EpochMillis;

/// The event of a CloudWatch dashboard custom widget.
///
/// The widget's own parameters are both in `widgetContext.params` and merged at the top
/// level of the event; the top-level copies are kept in [`params`](Self::params).
///
/// ```
/// use lambda_events::cloudwatch_dashboard::CustomWidgetEvent;
///
/// let json = r#"{"widgetContext": {"dashboardName": "ops", "widgetId": "widget-1",
///   "accountId": "123456789012", "theme": "dark", "width": 588, "height": 369,
///   "params": {"city": "Paris"}}, "city": "Paris"}"#;
/// let event: CustomWidgetEvent = serde_json::from_str(json).unwrap();
/// assert_eq!(event.params["city"], "Paris");
/// let html = format!("<h1>{}</h1>", event.params["city"].as_str().unwrap_or("?"));
/// assert_eq!(html, "<h1>Paris</h1>");
/// ```
#[event(closed, keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomWidgetEvent {
    /// Whether the dashboard asks for the widget's documentation instead of its content.
    pub describe: Option<bool>,
    /// The dashboard and the widget's place in it.
    pub widget_context: Option<CustomWidgetContext>,
    /// The widget's parameters (every other top-level field).
    #[serde(flatten)]
    pub params: Map<String, Value>,
}

/// The dashboard and the widget's place in it.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomWidgetContext {
    /// The dashboard's name.
    pub dashboard_name: Option<String>,
    /// The widget's ID on the dashboard.
    pub widget_id: Option<String>,
    /// The console's URL, such as `https://us-east-1.console.aws.amazon.com`.
    pub domain: Option<String>,
    /// The account of the dashboard.
    pub account_id: Option<String>,
    /// The viewer's locale, such as `en`.
    pub locale: Option<String>,
    /// The dashboard's time zone.
    pub timezone: Option<CustomWidgetTimezone>,
    /// The period of the dashboard's graphs, in seconds.
    pub period: Option<u64>,
    /// Whether the period is chosen automatically.
    pub is_auto_period: Option<bool>,
    /// The dashboard's time range.
    pub time_range: Option<CustomWidgetTimeRange>,
    /// `light` or `dark`.
    pub theme: Option<String>,
    /// Whether the dashboard's charts are linked.
    pub link_charts: Option<bool>,
    /// The widget's title.
    pub title: Option<String>,
    /// The values of forms in the widget, by form.
    pub forms: Option<Map<String, Value>>,
    /// The widget's parameters.
    pub params: Option<Map<String, Value>>,
    /// The widget's width in pixels.
    pub width: Option<u32>,
    /// The widget's height in pixels.
    pub height: Option<u32>,
}

/// The time zone of a dashboard.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomWidgetTimezone {
    /// Its name, such as `UTC` or `Local`.
    pub label: Option<String>,
    /// Its offset, such as `+00:00`.
    #[serde(rename = "offsetISO")]
    pub offset_iso: Option<String>,
    /// Its offset in minutes.
    pub offset_in_minutes: Option<i32>,
}

/// The time range of a dashboard.
#[event(keep_nulls)]
#[serde(rename_all = "camelCase")]
pub struct CustomWidgetTimeRange {
    /// `relative` or `absolute`.
    pub mode: Option<String>,
    /// The start, in milliseconds since the Unix epoch.
    pub start: Option<EpochMillis>,
    /// The end, in milliseconds since the Unix epoch.
    pub end: Option<EpochMillis>,
    /// For a relative range, its length in milliseconds.
    pub relative_start: Option<u64>,
    /// The range the viewer zoomed to, when they did.
    pub zoom: Option<CustomWidgetZoom>,
}

/// A zoomed-in time range.
#[event(keep_nulls)]
pub struct CustomWidgetZoom {
    /// The start, in milliseconds since the Unix epoch.
    pub start: Option<EpochMillis>,
    /// The end, in milliseconds since the Unix epoch.
    pub end: Option<EpochMillis>,
}
