"""Users, organisations, memberships with roles, and invitations."""
