//! Splitting user text into tokens with byte spans. (Being written.)
