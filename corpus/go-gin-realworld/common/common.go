package common

// Pong answers /api/ping.
const Pong = "pong"
