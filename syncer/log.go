package syncer

import "log/slog"

const slogWarn = slog.LevelWarn

func attrStr(k, v string) slog.Attr { return slog.String(k, v) }

func attrErr(err error) slog.Attr { return slog.Any("err", err) }
