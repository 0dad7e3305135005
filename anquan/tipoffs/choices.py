"""The vocabulary of tip-offs: what is reported, the stages of its handling and the steps between them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    HAZARD = "hazard", _("Accident hazard")
    VIOLATION = "violation", _("Illegal production or operation")
    CONCEALED_ACCIDENT = "concealed_accident", _("Concealed or falsely reported accident")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    VERIFYING = "verifying", _("Being verified")
    SUBSTANTIATED = "substantiated", _("Substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Not substantiated")
    REWARD_DECIDED = "reward_decided", _("Reward decided")
    REWARD_PAID = "reward_paid", _("Reward paid")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submit")
    ACCEPT = "accept", _("Accept")
    REJECT = "reject", _("Do not accept")
    VERIFY = "verify", _("Start verification")
    SUBSTANTIATE = "substantiate", _("Substantiated")
    UNSUBSTANTIATE = "unsubstantiate", _("Not substantiated")
    DECIDE_REWARD = "decide_reward", _("Decide the reward")
    PAY_REWARD = "pay_reward", _("Reward paid")


# the stages in which the handling is over for the reporter (the outcome is shown)
CLOSED = (Status.REJECTED, Status.UNSUBSTANTIATED, Status.REWARD_PAID)
# the office has answered the reporter (accepted or not): "days to reply" runs from submission to this
REPLIED = tuple(s for s in Status.values if s != Status.RECEIVED)

STATUS_COLOURS = {
    Status.RECEIVED: "warning",
    Status.ACCEPTED: "info",
    Status.REJECTED: "secondary",
    Status.VERIFYING: "primary",
    Status.SUBSTANTIATED: "success",
    Status.UNSUBSTANTIATED: "secondary",
    Status.REWARD_DECIDED: "success",
    Status.REWARD_PAID: "dark",
}
