"""An address deactivated after repeated hard bounces is personal data like any other: it has
left the list and is erased after the retention period (DSGVO Art. 5(1)(e)), like an address
that unsubscribed."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from distribution.models import Subscriber
from distribution.sending import bounce

from .test_retention import everything_stored, let_time_pass


def test_a_deactivated_address_is_erased_after_the_retention_period(
    confirmed_subscriber, run_worker, smtp_server, settings
):
    run_worker()  # the confirmation mail leaves
    for _ in range(settings.DISTRIBUTION_HARD_BOUNCE_LIMIT):
        bounce(confirmed_subscriber.pk)
    subscriber = Subscriber.objects.get(pk=confirmed_subscriber.pk)
    assert subscriber.state == Subscriber.State.DEACTIVATED
    assert timezone.now() - subscriber.unsubscribed_at < timedelta(minutes=1)
    erasures = DBTaskResult.objects.filter(status="READY", task_path__endswith="erase_if_due")
    (task,) = erasures.filter(run_after__gt=timezone.now() + timedelta(days=29))
    assert abs(task.run_after - subscriber.unsubscribed_at - timedelta(days=30)) < timedelta(
        seconds=1
    )

    let_time_pass(timedelta(days=29, hours=23))
    run_worker()
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()
    let_time_pass(timedelta(hours=1, minutes=1))
    run_worker()

    assert not Subscriber.objects.exists()
    assert "petra sommer" not in everything_stored().lower()
