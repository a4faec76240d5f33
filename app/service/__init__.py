"""The one service under both routers (load, act, save) and the store networks live in."""
