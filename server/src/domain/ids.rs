//! The ids of stored things, one type each, so a filing's id cannot be passed where a
//! verification's is meant. On the wire and in the database each is the plain string it wraps
//! (`serde` and `sqlx` transparent); the protocol's views keep `String`, the SPA never sees these.

/// Declares an id newtype over `String`: any string is an id (one we never made finds nothing),
/// so the constructor takes it as given; the server makes new ones with `secrets::new_id`.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(
            Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, sqlx::Type,
        )]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn new(id: impl Into<String>) -> $name {
                $name(id.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        /// For the command line's arguments: any string is an id.
        impl std::str::FromStr for $name {
            type Err = std::convert::Infallible;

            fn from_str(id: &str) -> Result<$name, Self::Err> {
                Ok($name::new(id))
            }
        }
    };
}

id! {
    /// A filing request (`fil_…`).
    FilingId
}

id! {
    /// One person's verification within a filing (`ver_…`).
    VerificationId
}

id! {
    /// An access provider (`prv_…`).
    ProviderId
}

id! {
    /// A provider event (`webhook-id`): the same on every delivery of it; its outbox row's id.
    EventId
}

id! {
    /// An SMS in the outbox (`sms_…`); also the gateway's idempotency key and the seal's context.
    SmsId
}

#[cfg(test)]
mod tests {
    use super::FilingId;

    #[test]
    fn an_id_is_its_string_on_the_wire() {
        let id = FilingId::new("fil_1");
        assert_eq!(serde_json::to_string(&id).unwrap(), r#""fil_1""#);
        assert_eq!(serde_json::from_str::<FilingId>(r#""fil_1""#).unwrap(), id);
        assert_eq!(id.to_string(), "fil_1");
    }
}
