"""GraphiQL at /graphql with this server's own copies of GraphiQL and React
(``static/vendor``): strawberry's page loads them from a CDN and shows
"Loading..." on a network without the internet."""

from __future__ import annotations

from functools import cache

from api.web.framework import env


@cache
def graphiql_html() -> str:
    return env.get_template("graphiql.html").render()
