-- A channel account counts the times its settings and credentials are replaced (decision 0093):
-- connecting it again from the settings as they were at one version is refused once someone else
-- has connected it again since, instead of silently replacing the credentials they gave the
-- provider. Renaming, enabling and disabling leave the count alone. Existing rows start at 1.
alter table channel_accounts add column settings_version int not null default 1 check (settings_version >= 1);
