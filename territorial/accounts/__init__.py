"""Accounts, memberships, invitations and the login flow."""
