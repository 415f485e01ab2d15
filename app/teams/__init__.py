from app.teams.routes import blp

__all__ = ["blp"]
