"""The actor for work started from the command line or the set-up page, not by a user."""

from db.models import Role, User


def system_actor() -> User:
    # id None: audit rows show "system" as the actor.
    return User(
        id=None,
        username="system",
        display_name="system",
        role=Role.ADMIN,
        password_hash="!",
        active=True,
    )
