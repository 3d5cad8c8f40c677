//! SMS: which carrier and sender a number goes through, the text people receive, and the
//! gateways that send it. The outbox dispatcher (`crate::jobs::sms_dispatch`) drives them.

pub mod carrier;
pub mod console;
pub mod gateway;
pub mod http_gateway;
pub mod routing;
pub mod template;

pub use carrier::Carrier;
pub use console::ConsoleGateway;
pub use gateway::{GatewayError, GatewayReceipt, OutgoingSms, SmsGateway};
pub use http_gateway::{HttpGateway, HttpGatewayConfig};
pub use routing::{RangeTable, RangeTableError, Router, SenderNumbers};
pub use template::{segments, SmsTemplate, TemplateError};
