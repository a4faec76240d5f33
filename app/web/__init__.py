"""The HTML side: routes for the start page, the lab page and its training view, the
forms they read, and how they answer (a page, an htmx fragment or a redirect)."""
