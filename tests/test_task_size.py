"""How many items a pool task takes: whole stages split so that no worker is left holding the last big task."""

from pipelines.runtime.pool import TASKS_PER_SLOT, task_size


def test_a_big_stage_uses_the_largest_task():
    assert task_size(1_000_000, 2, most=32) == 32


def test_a_small_stage_gives_each_worker_several_tasks():
    n, slots = 257, 2
    size = task_size(n, slots, most=32, least=4)
    assert size < 32
    assert -(-n // size) >= slots * TASKS_PER_SLOT  # tasks the stage splits into


def test_never_below_the_least_size():
    assert task_size(10, 2, most=32, least=4) == 4
    assert task_size(0, 2, most=256, least=32) == 32
