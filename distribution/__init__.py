"""The distribution list (Presseverteiler): releases by e-mail to journalists who subscribed
with double opt-in, and advance copies under embargo to the accredited list.

Depends on `press` (what is public, the history of each article) and `mailing` (the SMTP
connection); nothing depends on it."""
