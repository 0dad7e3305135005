"""The nine kinds of small venue (九小场所), a venue's status and where a check came from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VenueKind(models.TextChoices):
    SHOP = "shop", _("Small shop")
    SMALL_HOTEL = "small_hotel", _("Small hotel")
    SMALL_SCHOOL = "small_school", _("Small school or kindergarten")
    SMALL_CLINIC = "small_clinic", _("Small clinic")
    INTERNET_CAFE = "internet_cafe", _("Small internet café")
    SMALL_RESTAURANT = "small_restaurant", _("Small restaurant")
    SMALL_ENTERTAINMENT = "small_entertainment", _("Small entertainment venue")
    SMALL_BATH_BEAUTY = "small_bath_beauty", _("Small beauty or bath venue")
    SMALL_WORKSHOP = "small_workshop", _("Small workshop")


class VenueStatus(models.TextChoices):
    OPEN = "open", _("In business")
    CLOSED = "closed", _("Closed (venue)")


class CheckSource(models.TextChoices):
    PATROL = "patrol", _("Grid patrol")
    SELF_CHECK = "self_check", _("Owner self-check")


class CheckFilter(models.TextChoices):
    """The list's "check status" filter: this month's check done or not, last check failed."""

    CHECKED = "checked", _("Checked this month")
    UNCHECKED = "unchecked", _("Not checked this month")
    FAILED = "failed", _("Last check failed")
