"""The three roles of the newsroom, as auth groups created by migration 0002_roles."""

REDAKTION = "Redaktion"
FREIGABE = "Freigabe"
ADMINISTRATION = "Administration"

ROLE_NAMES = [REDAKTION, FREIGABE, ADMINISTRATION]
