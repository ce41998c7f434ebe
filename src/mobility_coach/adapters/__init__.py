"""The edge: sound, desktop notifications, idle time and the reminder's socket.

Each wraps something outside Python (a player, D-Bus, a process, a socket) behind a
small interface that the faces use and the tests can fake."""
