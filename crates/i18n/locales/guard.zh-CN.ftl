# 简体中文。键须与 guard.en.ftl 一致。输入框中出现疑似助记词或私钥时，发送前在页面内显示的警告（static/secret-guard.js）。
guard-phrase = 这看起来像助记词（恢复短语）。
guard-key = 这看起来像私钥。
guard-body = 请勿发给任何人，包括我们：任何拿到它的人都能转走您的资产。目前还没有发送任何内容，它只在此页面上。请删除它，并用自己的话描述问题。
guard-remove = 从文本中删除
