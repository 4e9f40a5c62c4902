"""Who may do what where several people share one database: users, roles, permissions."""
