"""The project file: connections, migrations, audit log, evidence, people, profile."""

from gaisafe_desktop.core.store.project import Project, Transaction, create_project, default_actor, open_project

__all__ = ["Project", "Transaction", "create_project", "default_actor", "open_project"]
