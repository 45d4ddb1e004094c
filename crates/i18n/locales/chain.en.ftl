# chain (en): strings for the chain part of the desk.
