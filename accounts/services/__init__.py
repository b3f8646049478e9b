"""State-changing operations of the accounts app. Views call these; they hold the rules."""
