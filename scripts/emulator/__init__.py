"""deploy-local: deploy, verify, update and destroy an environment on moto."""
