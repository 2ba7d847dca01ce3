from tests.strategies import X


def test_x():
    assert X == 1
