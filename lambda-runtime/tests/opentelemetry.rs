//! OpenTelemetry end to end (written below).
