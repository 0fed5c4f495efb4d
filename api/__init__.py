"""The outside of factoryledger: GraphQL API, HTTP app and CLI. No business rules here."""
