# chat (en): strings for the chat part of the desk.
