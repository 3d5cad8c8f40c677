//! What another user on the machine could read: the data directory is the server's alone.

use crate::helpers::*;

#[cfg(unix)]
#[tokio::test]
async fn the_data_directory_is_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let parent = tempfile::tempdir().unwrap();
    let data_dir = parent.path().join("fresh");
    let app = spawn_with(|s| {
        s.database.data_dir = data_dir.clone();
        // The SQLite file and the key file in it, whichever engine the suite runs on.
        s.database.database_url = None;
        s.database.secret_key = None;
    })
    .await;
    let mode = |path: &std::path::Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&data_dir), 0o700);
    assert_eq!(mode(&data_dir.join("beian.db")), 0o600);
    assert_eq!(mode(&data_dir.join("secret.key")), 0o600);
    app.stop().await;
}
