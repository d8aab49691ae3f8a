"""The clients (addresses, or browser sessions where there is no address) each user has
signed in from. Someone guessing a user's name from many addresses can keep the name's
counter waiting; the user still signs in from where they signed in before (throttle.py).

Only a successful sign-in adds a client, so the list says nothing to a guesser: from an
address the user has never used, a real name and an unknown one are answered alike.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, select

from db.engine import insert_for
from db.models import SignInKnownClient

# A client unused this long is forgotten: an address a laptop had at a conference last
# year should not vouch for anyone now.
REMEMBER_FOR = timedelta(days=90)


def is_known(session: Session, user_id: int | None, client: str, now: datetime) -> bool:
    if user_id is None:
        return False
    return session.exec(
        select(SignInKnownClient.id).where(
            SignInKnownClient.user_id == user_id,
            SignInKnownClient.client == client,
            SignInKnownClient.last_signin_at > now - REMEMBER_FOR,
        )
    ).first() is not None


def remember(session: Session, user_id: int, client: str, now: datetime) -> None:
    insert = insert_for(session)
    statement = insert(SignInKnownClient).values(
        user_id=user_id, client=client, last_signin_at=now
    )
    session.exec(statement.on_conflict_do_update(
        index_elements=["user_id", "client"], set_={"last_signin_at": now}
    ))
    session.exec(delete(SignInKnownClient).where(
        SignInKnownClient.user_id == user_id,
        SignInKnownClient.last_signin_at < now - REMEMBER_FOR,
    ))


def forget_user(session: Session, user_id: int) -> None:
    """A password reset: the places the old password was used vouch for nobody now."""
    session.exec(delete(SignInKnownClient).where(SignInKnownClient.user_id == user_id))
