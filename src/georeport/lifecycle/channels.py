"""How a request or a change reached the city: the intake channel.

Transparency reports count requests by channel, so every case carries the one
it arrived by, and every event may carry the one its change came through.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Channel"]


class Channel(StrEnum):
    """An intake channel; the values are the wire strings.

    Vendors name these differently (Chicago's ``extended_attributes.channel``,
    the Bulk format's ``source``: "Phone", "Mobile App", "Twitter"...); map
    them onto this set when you read them, and use ``OTHER`` for the rest.

    Examples:
        >>> Channel("mobile_app"), Channel.WALK_IN == "walk_in"
        (<Channel.MOBILE_APP: 'mobile_app'>, True)
    """

    PHONE = "phone"
    WEB = "web"
    MOBILE_APP = "mobile_app"
    EMAIL = "email"
    MAIL = "mail"
    SOCIAL_MEDIA = "social_media"
    WALK_IN = "walk_in"
    OTHER = "other"
