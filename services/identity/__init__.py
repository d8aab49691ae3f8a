"""Who people are: sign-in, passwords, user administration."""
