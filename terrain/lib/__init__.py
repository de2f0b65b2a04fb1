"""Pure helpers: no models, no Django ORM."""
