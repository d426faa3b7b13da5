"""A territory keeps someone at its coordination: its last coordinator can neither step down
nor be removed (nor demoted by accepting an invitation), with a message that says why."""
import pytest
from sqlalchemy import select

from extensions import db
from territorial.accounts import operations
from territorial.accounts.models import Membership
from territorial.common.errors import DomainError

LAST = "dernier compte à la coordination"


def _membership(user, territory):
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.territory_id == territory.id))


def test_the_last_coordinator_cannot_demote_themselves(client, login, factory, territory):
    coordinator = factory.user(territory, role="coordinator")
    login(coordinator)
    url = f"/t/{territory.slug}/members/{_membership(coordinator, territory).id}/role"
    page = client.post(url,
                       data={"role": "participant"}, follow_redirects=True)
    assert LAST in page.get_data(as_text=True)
    db.session.expire_all()
    assert _membership(coordinator, territory).role == "coordinator"
    # With a second coordinator, stepping down is allowed.
    factory.user(territory, role="coordinator")
    client.post(url, data={"role": "participant"})
    db.session.expire_all()
    assert _membership(coordinator, territory).role == "participant"


def test_the_platform_admin_cannot_remove_the_last_coordinator(client, login, factory,
                                                               territory):
    coordinator = factory.user(territory, role="coordinator")
    factory.user(territory, role="facilitator")
    login(factory.user(is_admin=True))
    membership = _membership(coordinator, territory)
    page = client.post(f"/t/{territory.slug}/members/{membership.id}/remove",
                       follow_redirects=True)
    assert LAST in page.get_data(as_text=True)
    db.session.expire_all()
    assert _membership(coordinator, territory) is not None


def test_an_inactive_coordinator_does_not_count(ctx, factory, territory):
    coordinator = factory.user(territory, role="coordinator")
    factory.user(territory, role="coordinator", is_active_account=False)
    with pytest.raises(DomainError, match=LAST):
        operations.change_role(_membership(coordinator, territory), "observer")


def test_an_invitation_does_not_demote_the_last_coordinator(ctx, factory, territory):
    coordinator = factory.user(territory, role="coordinator")
    admin = factory.user(is_admin=True)
    invitation = operations.invite(territory.id, coordinator.email, "participant", admin)
    with pytest.raises(DomainError, match=LAST):
        operations.accept_invitation(invitation, coordinator)
