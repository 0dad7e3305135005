import pytest


@pytest.fixture
def installation(world):
    """A grade-4 major hazard installation of chem_t1 (chlorine and ammonia: four required kinds of monitoring)."""
    from anquan.majorhazards import services as installations

    from ..riskpoints.helpers import REFERENCE_INSTALLATION

    return installations.create_installation(
        {**REFERENCE_INSTALLATION, "enterprise": world.chem_t1.uscc}, actor=world.users["county_office"]
    )


@pytest.fixture
def gas_point(world):
    """A combustible gas point of chem_t1 registered by its manager with the default thresholds."""
    from anquan.monitoring import points

    return points.create(
        world.chem_t1,
        {"device_id": "GT-101", "name": "罐区可燃气体探测器1", "kind": "combustible_gas"},
        actor=world.users["enterprise_manager"],
    )


@pytest.fixture
def live(live_server, transactional_db):
    """The base URL of the app on a real socket (database committed, visible to the server thread)."""
    return live_server.url
