"""Demo accounts, one per role (two unit heads of different units), for the embedded
demo data only: the app must refuse to run in production while any of them exists."""

from __future__ import annotations

from .users import UserStore

DEMO_USERS: list[dict] = [
    {"username": "admin", "name": "Nguyễn Văn Quản Trị", "email": "admin@demo.ioc.local",
     "role": "admin", "unit": None, "password": "Demo@2026-admin"},
    {"username": "lanhdao", "name": "Trần Thị Minh Lãnh", "email": "lanhdao@demo.ioc.local",
     "role": "leader", "unit": None, "password": "Demo@2026-lanhdao"},
    {"username": "qltnn", "name": "Lê Hoàng Thủy", "email": "qltnn@demo.ioc.local",
     "role": "unit_head", "unit": "QLTNN", "password": "Demo@2026-qltnn"},
    {"username": "ks", "name": "Phạm Đức Khoáng", "email": "ks@demo.ioc.local",
     "role": "unit_head", "unit": "DCKS", "password": "Demo@2026-ks"},
    {"username": "trinhchieu", "name": "Màn hình Trình chiếu", "email": "trinhchieu@demo.ioc.local",
     "role": "viewer", "unit": None, "password": "Demo@2026-trinhchieu"},
]

DEMO_USERNAMES = tuple(u["username"] for u in DEMO_USERS)


def ensure_demo_users(store: UserStore) -> bool:
    """Add every demo user that is missing (existing accounts are left as they are);
    True if the file was written."""
    present = {u.username for u in store.list()}
    wrote = False
    for spec in DEMO_USERS:
        if spec["username"] in present:
            continue
        store.add(spec["username"], name=spec["name"], email=spec["email"], role=spec["role"],
                  unit=spec["unit"], password=spec["password"])
        wrote = True
    return wrote


def demo_usernames_present(store: UserStore) -> list[str]:
    """Demo accounts present in the store, enabled or not (production must have none)."""
    present = {u.username for u in store.list()}
    return [name for name in DEMO_USERNAMES if name in present]
