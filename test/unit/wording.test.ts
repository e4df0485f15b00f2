import { describe, expect, it } from 'vitest';
import { applyEdits, findingsOf, POLICY_HEAD } from './helpers';
import { WORDING_RULES } from '../../server/src/engine/rules/wording';
import { RULES } from '../../server/src/engine/rules';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../server/src/engine/engine';
import { Memo } from '../../server/src/engine/memo';

/** A small policy document: one heading, then each paragraph. */
const doc = (...paragraphs: string[]) => POLICY_HEAD + ['# 情報セキュリティ対策基準', '', ...paragraphs.flatMap((p) => [p, ''])].join('\n');

/** Applies the first fix of every finding and returns the new text. */
const fixAll = (text: string, rule: string) => applyEdits(text, findingsOf(text, rule).flatMap((f) => f.fixes?.[0]?.edits ?? []));

describe('wording rules: metadata', () => {
  it('registers every rule once with a unique LGP2xx alias and no alias clash', () => {
    const ids = WORDING_RULES.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = RULES.flatMap((r) => [r.meta.id, ...r.meta.aliases].map((n) => n.toLowerCase()));
    expect(new Set(all).size).toBe(all.length);
    for (const r of WORDING_RULES) {
      const code = r.meta.aliases.find((a) => /^LGP2\d\d$/.test(a));
      expect(code, r.meta.id).toBeDefined();
      expect(Number(code!.slice(3))).toBeGreaterThanOrEqual(202);
      expect(Number(code!.slice(3))).toBeLessThanOrEqual(249);
      expect(r.meta.defaultSeverity).toBe('warning');
      expect(r.meta.guideline.length).toBeGreaterThan(0);
      // Consultation entries exist: 意見1–159 and 質問1–105 in the 2021 consultation.
      for (const seed of r.meta.seeds) {
        const m = /^(意見|質問)(\d+)$/.exec(seed);
        if (m) expect(Number(m[2]), seed).toBeLessThanOrEqual(m[1] === '意見' ? 159 : 105);
        else expect(seed, r.meta.id).toMatch(/検討会/);
      }
    }
  });
});

describe('wording rules: docs pages', () => {
  for (const r of WORDING_RULES) {
    it(`${r.meta.id}: the page names the aliases, and its before/after example fires/stays quiet`, () => {
      const page = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules', `${r.meta.id}.md`), 'utf8');
      expect(page.startsWith(`# ${r.meta.id} — `)).toBe(true);
      for (const a of r.meta.aliases) expect(page).toContain(`\`${a}\``);
      const block = /\x60\x60\x60markdown\n<!-- 修正前 -->\n([\s\S]*?)<!-- 修正後 -->\n([\s\S]*?)\x60\x60\x60/.exec(page);
      expect(block, 'before/after example').not.toBeNull();
      expect(findingsOf(doc(block![1].trim()), r.meta.id).length).toBeGreaterThan(0);
      expect(findingsOf(doc(block![2].trim()), r.meta.id)).toEqual([]);
    });
  }
});

describe('necessary-traffic-only', () => {
  const rule = 'necessary-traffic-only';
  it('finds 「必要な通信だけを許可」 between the zones and offers to add the safety condition', () => {
    const text = doc('## 3. 情報システム全体の強靱性の向上', '(2) LGWAN接続系', '① LGWAN接続系とインターネット接続系の間は通信経路を分割し、必要な通信だけを許可しなければならない。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('安全が確保された通信');
    expect(f[0].fixes![0].safe).toBe(false);
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('安全が確保された通信のうち必要なものだけを許可しなければならない。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('also reads 「業務上必要な通信以外を遮断」', () => {
    const text = doc('インターネット接続系との境界では、業務上必要な通信以外を遮断する。');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('安全が確保された通信のうち業務上必要なもの以外を遮断する。');
  });

  it('is quiet when safety is already the condition, outside the zone model, and in code', () => {
    expect(findingsOf(doc('LGWAN接続系とインターネット接続系の間では、安全が確保された通信だけを許可する。'), rule)).toEqual([]);
    expect(findingsOf(doc('LGWAN接続系とインターネット接続系の間では、画面転送に必要な通信だけを許可する。'), rule)).toEqual([]);
    expect(findingsOf(doc('情報システム管理者は、公開サーバへの通信について、必要な通信だけを許可するよう設定しなければならない。'), rule)).toEqual([]);
    expect(findingsOf(doc('インターネット接続系の設定例: `必要な通信だけを許可`'), rule)).toEqual([]);
  });
});

describe('suspicious-mail-callback', () => {
  const rule = 'suspicious-mail-callback';
  it('finds a phone check that does not say which number, and fixes it to a known number', () => {
    const text = doc('職員等は、不自然なメールを受け取ったときは、電話等の別の手段で差出人にメールを送ったかどうかを確認しなければならない。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('どの番号にかけるか');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('公表されている番号又は以前から把握している番号への電話等の別の手段で差出人に');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('finds calling the number written in the mail and replying to the mail, without a fix', () => {
    const f = findingsOf(doc('不審なメールを受信した場合は、メールに記載された電話番号に電話して差出人に確認する。', '標的型攻撃が疑われるメールは、返信して送信者に事実を確認する。'), rule);
    expect(f).toHaveLength(2);
    expect(f[0].message).toContain('書かれた電話番号');
    expect(f[0].fixes).toBeUndefined();
    expect(f[1].message).toContain('返信');
  });

  it('is quiet when the number is pinned down, when the call goes to the office, and for 返信しない', () => {
    expect(findingsOf(doc('不審なメールの差出人には、公式のウェブサイトで確かめた番号に電話して確認する。'), rule)).toEqual([]);
    expect(findingsOf(doc('不審なメールの差出人への確認は電話で行う。その際、メールに書かれた番号は使わず、以前からやり取りのある連絡先を用いる。'), rule)).toEqual([]);
    expect(findingsOf(doc('不審なメールを受信したときは、情報セキュリティ管理者に電話で報告し、指示を確認する。'), rule)).toEqual([]);
    expect(findingsOf(doc('### 標的型攻撃への対策', '差出人が分からないメールが届いたときは、所属長に電話で連絡し、対応を確認する。'), rule)).toEqual([]);
    expect(findingsOf(doc('不審なメールには返信せず、差出人への確認は団体の代表番号への電話で行う。'), rule)).toEqual([]);
    expect(findingsOf(doc('職員等は、不審なメールの差出人に、そのメールにある番号で電話をかけて問い合わせてはならない。'), rule)).toEqual([]);
  });
});

describe('spam-stops-mail-server', () => {
  const rule = 'spam-stops-mail-server';
  it('finds stopping the server on receiving spam and narrows it to sending from inside', () => {
    const text = doc('② 情報システム管理者は、迷惑メールの受信又は送信が急増したことを検知したときは、メールサーバの運用を停止する。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('フィルタリング');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('迷惑メールの庁内からの送信が急増したことを検知したときは、メールサーバの運用を停止する。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('reports without a fix when the wording does not allow one', () => {
    const f = findingsOf(doc('スパムメールを大量に受信したときは、メールサーバを停止する。'), rule);
    expect(f).toHaveLength(1);
    expect(f[0].fixes).toBeUndefined();
  });

  it('is quiet for sending only, for 停止しない, and for stopping 送受信 as the action', () => {
    expect(findingsOf(doc('乗っ取られた庁内の端末がスパムメールを大量に送り出しているときは、メールサーバを止めて調査する。'), rule)).toEqual([]);
    expect(findingsOf(doc('大量のスパムメールを受信しても、メールサーバの運用は停止せず、フィルタリングで対処する。'), rule)).toEqual([]);
    expect(findingsOf(doc('スパムメールの大量送信を検知したときは、メールサーバの送受信を停止する。'), rule)).toEqual([]);
  });
});

describe('web-service-ban-without-exception', () => {
  const rule = 'web-service-ban-without-exception';
  it('finds a blanket ban and inserts the exception before the service', () => {
    const text = doc('⑤ 職員等は、業務において、ウェブで利用できる電子メールやファイル共有サービスを使用してはならない。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('承認');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('⑤ 職員等は、業務において、組織が利用を承認したものを除き、ウェブで利用できる電子メールやファイル共有サービスを使用してはならない。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('also reads 「…の利用を禁止する」 without a subject', () => {
    const text = doc('オンラインストレージの業務での利用を禁止する。');
    expect(findingsOf(text, rule)).toHaveLength(1);
    expect(fixAll(text, rule)).toContain('組織が利用を承認したものを除き、オンラインストレージの業務での利用を禁止する。');
  });

  it('is quiet when approved services are excepted or only private ones are banned', () => {
    expect(findingsOf(doc('職員等は、情報システム管理者が指定したものを除き、ウェブメールを使用してはならない。'), rule)).toEqual([]);
    expect(findingsOf(doc('職員等は、私的に契約したオンラインストレージを業務に使用してはならない。'), rule)).toEqual([]);
    expect(findingsOf(doc('職員等は、承認された外部サービスとしてオンラインストレージを利用することができる。'), rule)).toEqual([]);
  });
});

describe('mac-address-filtering', () => {
  const rule = 'mac-address-filtering';
  it('finds MAC addresses used to limit destinations and replaces them with FQDN', () => {
    const text = doc('境界に置くファイアウォールでは、宛先のポート番号、IPアドレス、MACアドレスを条件に通信先を絞り込む。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('偽装');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('宛先のポート番号、IPアドレス、FQDN（ドメイン名）を条件に通信先を絞り込む。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('drops MAC from the list when FQDN is already there', () => {
    const text = doc('ファイアウォールでは、IPアドレス、MACアドレス及びFQDNにより通信先を制限する。');
    expect(fixAll(text, rule)).toContain('ファイアウォールでは、IPアドレス及びFQDNにより通信先を制限する。');
  });

  it('is quiet for registering terminals on the LAN and for firewalls without MAC', () => {
    expect(findingsOf(doc('情報システム管理者は、庁内LANに接続できる端末をMACアドレスで登録し、登録されていない端末の接続を制限する。'), rule)).toEqual([]);
    expect(findingsOf(doc('ファイアウォールでは、IPアドレス及びポート番号により通信先を限定する。'), rule)).toEqual([]);
  });
});

describe('obsolete-yakkan-service', () => {
  const rule = 'obsolete-yakkan-service';
  it('finds the old category in clauses, headings and definition tables', () => {
    const text = doc(
      '## 8.3 約款による外部サービスの利用',
      '職員等は、約款による外部サービスを利用する場合は、情報セキュリティ管理者の承認を得なければならない。',
      '| 用語 | 意味 |\n| --- | --- |\n| 約款による外部サービス | 約款への同意だけで使えるサービス |',
    );
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(3);
    expect(f[0].message).toContain('8.4');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('職員等は、外部サービスを利用する場合は');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('names the section numbers of the document’s revision', () => {
    const text = POLICY_HEAD.replace('lgpolicy: true', 'lgpolicy: true\nguideline: R5.3') + '# 規程\n\n約款による外部サービスは、機密性2以上の情報を取り扱わない業務に限り利用できる。\n';
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('8.2（機密性2以上の情報を取り扱う場合）と8.3（取り扱わない場合）');
  });

  it('is quiet when the text explains the history, and in code', () => {
    expect(findingsOf(doc('従来の「約款による外部サービス」は、外部サービスに統合された。'), rule)).toEqual([]);
    expect(findingsOf(doc('```\n約款による外部サービス\n```'), rule)).toEqual([]);
  });
});

describe('outsourcing-term', () => {
  const rule = 'outsourcing-term';
  it('finds the same while 外部委託 is typed and erased (a retained memo keeps where it occurs)', () => {
    const parts = ['外部委託', '外部', '委託', '外部委託先', 'あ', '\n', '。'];
    const start = doc(...Array.from({ length: 8 }, (_, i) => `(${i + 1}) 情報システムの運用を委託する場合は、契約書に遵守事項を定める。`));
    typeAndErase(rule, start, parts, { edits: 80, seed: 11, insert: 0.55, maxDelete: 4 });
  });

  it('finds 外部委託 and its compounds and replaces each with the guideline’s word', () => {
    const text = doc('## 8. 外部委託', '(1) 情報セキュリティ管理者は、外部委託事業者を選定するときは、外部委託先の情報セキュリティ対策を確認しなければならない。', '(2) 情報システムの運用を外部委託する場合は、契約書に遵守事項を定める。');
    const f = findingsOf(text, rule);
    expect(f.map((x) => text.slice(x.span.start, x.span.end))).toEqual(['外部委託', '外部委託事業者', '外部委託先', '外部委託']);
    expect(f[0].message).toContain('外部サービスの利用まで含む');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('## 8. 業務委託');
    expect(fixed).toContain('委託事業者を選定するときは、委託先の情報セキュリティ対策');
    expect(fixed).toContain('運用を業務委託する場合');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('leaves names of other documents, quotations, laws and a document that defines the word', () => {
    expect(findingsOf(doc('委託先との契約には、本市外部委託個人情報取扱特記事項を添付する。'), rule)).toEqual([]);
    expect(findingsOf(doc('詳細は「外部委託に係る事務処理マニュアル」による。'), rule)).toEqual([]);
    expect(findingsOf(doc('個人情報の保護に関する法律第66条に基づき、外部委託における安全管理措置を講じる。'), rule)).toEqual([]);
    expect(findingsOf(doc('この規程において「外部委託」とは、業務委託及び外部サービスの利用をいう。', '外部委託を行う場合は、承認を得る。'), rule)).toEqual([]);
    expect(findingsOf(POLICY_HEAD + '# 本市外部委託情報セキュリティ要綱\n\n委託先は、この要綱を守らなければならない。\n', rule)).toEqual([]);
    expect(findingsOf(doc('本市個人情報保護条例に規定する外部委託を行うときは、同条例の手続による。'), rule)).toEqual([]);
  });
});

describe('web-meeting-features-confidential', () => {
  const rule = 'web-meeting-features-confidential';
  it('finds recording or translation allowed for 機密性2以上 without a condition', () => {
    const f = findingsOf(doc('### (21) Web会議サービスの利用時の対策', '④ 機密性2以上の情報を取り扱う会議においても、録画機能及び自動翻訳機能を利用することができる。'), rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('E2E暗号化');
    expect(f[0].fixes).toBeUndefined();
  });

  it('is quiet when avoided, conditioned, or for meetings without such information', () => {
    const near = [
      '機密性2以上の情報を取り扱うWeb会議では、録画機能や議事録作成機能を使用しない。',
      '機密性2以上の情報を取り扱うWeb会議で録画機能を使う場合は、あらかじめ情報セキュリティ管理者の承認を得なければならない。',
      '機密性2以上の情報を取り扱わないWeb会議では、録画機能を利用することができる。',
      'Web会議の録画機能は、機密性2以上の情報を扱う会議でも利用できる。この場合、E2E暗号化が使えなくなることを参加者に伝える。',
      '機密性2以上の情報を扱う会議では、主催者は録画を停止することができる。',
    ];
    for (const p of near) expect(findingsOf(doc(p), rule), p).toEqual([]);
  });
});

describe('url-shortener', () => {
  const rule = 'url-shortener';
  it('finds 短縮URL used in posts', () => {
    const f = findingsOf(doc('### ソーシャルメディアサービスの運用', '投稿に載せるリンクは、文字数を抑えるため短縮URLを用いる。'), rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('リンク先');
  });

  it('is quiet when 短縮URL is avoided or allowed only under conditions', () => {
    expect(findingsOf(doc('公式アカウントの投稿では、短縮URLを使用しない。'), rule)).toEqual([]);
    expect(findingsOf(doc('やむを得ず短縮URLを使う場合は、情報セキュリティ管理者の承認を得る。'), rule)).toEqual([]);
    expect(findingsOf(doc('職員等は、短縮URLが書かれたメールのリンクを安易に開いてはならない。'), rule)).toEqual([]);
  });
});

describe('shared-or-fixed-password', () => {
  const rule = 'shared-or-fixed-password';
  it('finds unconditional sharing and never changing', () => {
    const f = findingsOf(doc('公式アカウントのパスワードは担当者間で共有する。', '公式アカウントのパスワードは変更しない。'), rule);
    expect(f).toHaveLength(2);
    expect(f[0].message).toContain('異動や退職');
    expect(f[1].message).toContain('漏えい');
  });

  it('is quiet for controlled sharing, bans on sharing, periodic change and changing others’ passwords', () => {
    const near = [
      '公式アカウントのパスワードは、情報セキュリティ管理者が指名した担当者に限り共有し、担当者が異動したときは直ちに変更する。',
      '職員等は、自己のパスワードを他の職員等と共有してはならない。',
      'パスワードは定期的に変更しないこととし、漏えいが疑われる場合に変更する。',
      '初期パスワードは変更せずに使用してはならない。',
      '情報システム管理者は、利用者のパスワードを無断で変更してはならない。',
      'パスワードを設定したファイルを担当者間で共有する。',
      '共有アカウントのパスワードを共有する場合は、情報セキュリティ管理者の承認を得る。',
    ];
    for (const p of near) expect(findingsOf(doc(p), rule), p).toEqual([]);
  });
});

describe('complete-separation-undefined', () => {
  const rule = 'complete-separation-undefined';
  it('finds 「完全に分離」 with nothing on what or how', () => {
    const f = findingsOf(doc('インターネット接続系とLGWAN接続系を完全に分離する場合を除き、次の対策を講じる。'), rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('特定の通信');
  });

  it('is quiet when the item explains the separation, for non-network uses and for quotations', () => {
    expect(findingsOf(doc('マイナンバー利用事務系は、他の領域と物理的に別のネットワークとし、通信を一切行わない形で完全に分離する。'), rule)).toEqual([]);
    expect(findingsOf(doc('(1) マイナンバー利用事務系を他の領域から完全に分離する。', '① 他の領域との通信は、特定通信を除き遮断する。'), rule)).toEqual([]);
    expect(findingsOf(doc('紙の申請書と電子データの保管場所を完全に分離する。'), rule)).toEqual([]);
    expect(findingsOf(doc('ガイドラインの「完全に分離する場合」の意味は、所管課に確認する。'), rule)).toEqual([]);
  });

  it('finds the same while text is typed and erased around the phrase (a retained memo reads only the clauses where 完全 is)', () => {
    const parts = ['インターネット接続系とLGWAN接続系を完全に分離する。', '(1) 事務系のネットワークは完全分離とする。', '① 通信は特定通信を除き遮断する。', '## 完全に分離する領域', '完全', 'に分離', 'ネットワーク', '。', '\n', '\n\n', '`完全に分離`'];
    const start = doc(...Array.from({ length: 12 }, (_, i) => parts[i % 3] + '対象は基幹系である。'));
    typeAndErase(rule, start, parts, { edits: 120, seed: 7, insert: 0.5, maxDelete: 6 });
  });
});

describe('password-by-email', () => {
  const rule = 'password-by-email';
  it('finds the password sent by another mail and points to another channel', () => {
    const text = doc('機密性2以上の情報をメールで送るときは、ファイルを暗号化して添付し、パスワードは別メールで通知する。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('同じ経路');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('パスワードは電話など電子メール以外の手段で通知する。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('is quiet when the text rejects it or uses another channel', () => {
    expect(findingsOf(doc('パスワードは別の電子メールではなく、電話で伝える。'), rule)).toEqual([]);
    expect(findingsOf(doc('パスワードを別メールで送る方法は用いない。'), rule)).toEqual([]);
    expect(findingsOf(doc('パスワードは電話で相手に伝える。'), rule)).toEqual([]);
    expect(findingsOf(doc('新しい利用者の仮パスワードは、別の電子メールで本人に通知する。'), rule)).toEqual([]);
  });
});

describe('disposal-without-return', () => {
  const rule = 'disposal-without-return';
  it('finds data erasure tied only to 廃棄 and adds リース返却等', () => {
    const text = doc('情報システム管理者は、機器を廃棄する場合は、記憶装置の情報を復元できないよう消去しなければならない。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('リース');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('機器を廃棄又はリース返却等する場合は');
    expect(findingsOf(fixed, rule)).toEqual([]);
    expect(fixAll(doc('パソコンの廃棄時には、ハードディスクを破壊する。'), rule)).toContain('パソコンの廃棄又はリース返却等の際には、ハードディスクを破壊する。');
  });

  it('is quiet when returns are covered or the text is not about erasing equipment', () => {
    expect(findingsOf(doc('機器を廃棄し、又はリース契約の満了により返却する場合は、データを消去する。'), rule)).toEqual([]);
    expect(findingsOf(doc('(7) 機器等の廃棄等', '① 機器を廃棄する場合は、データを消去する。'), rule)).toEqual([]);
    expect(findingsOf(doc('不要になった文書は、シュレッダーで廃棄する。'), rule)).toEqual([]);
  });
});

describe('critical-patches-only', () => {
  const rule = 'critical-patches-only';
  it('finds applying only urgent patches and turns 「のみ」 into a priority', () => {
    const text = doc('情報システム管理者は、緊急度の高い修正プログラムのみ適用する。');
    const f = findingsOf(text, rule);
    expect(f).toHaveLength(1);
    expect(f[0].message).toContain('可能な限りすべて');
    const fixed = fixAll(text, rule);
    expect(fixed).toContain('緊急度の高い修正プログラムを優先して適用する。');
    expect(findingsOf(fixed, rule)).toEqual([]);
  });

  it('is quiet when the rest is also handled or 「のみ」 is about timing', () => {
    expect(findingsOf(doc('重要な修正プログラムのみ直ちに適用し、それ以外は月例の作業で適用する。'), rule)).toEqual([]);
    expect(findingsOf(doc('緊急性の高いパッチのみ先行して適用し、残りは検証後に適用する。'), rule)).toEqual([]);
    expect(findingsOf(doc('修正プログラムは、緊急度の高いものを優先して適用する。'), rule)).toEqual([]);
  });
});

describe('wording rules: quick fixes', () => {
  const samples: [string, string][] = [
    ['necessary-traffic-only', 'インターネット接続系との間は、必要な通信のみ許可する。'],
    ['suspicious-mail-callback', '不審なメールの差出人には、電話で確認する。'],
    ['spam-stops-mail-server', 'スパムメールの送受信の急増を検知したときは、メールサーバを停止する。'],
    ['web-service-ban-without-exception', 'クラウドストレージの使用を禁止する。'],
    ['mac-address-filtering', 'ファイアウォールでは、IPアドレス、MACアドレス及びFQDNにより通信先を制限する。'],
    ['obsolete-yakkan-service', '約款による外部サービスの利用は、別に定める。'],
    ['outsourcing-term', '外部委託業務の範囲は、契約書で定める。'],
    ['password-by-email', 'ファイルを暗号化し、パスワードは別の電子メールで伝える。'],
    ['disposal-without-return', 'パソコンの廃棄時には、ハードディスクを破壊する。'],
    ['critical-patches-only', '重要なパッチだけを適用する。'],
  ];
  for (const [rule, text] of samples) {
    it(`${rule}: one fix, not safe, editing only the finding’s own text, and the result no longer fires`, () => {
      const t = doc(text);
      const f = findingsOf(t, rule);
      expect(f).toHaveLength(1);
      expect(f[0].fixes).toHaveLength(1);
      const fix = f[0].fixes![0];
      expect(fix.safe).toBe(false);
      for (const e of fix.edits) {
        expect(e.span.start).toBeGreaterThanOrEqual(f[0].span.start);
        expect(e.span.end).toBeLessThanOrEqual(f[0].span.end);
      }
      const fixed = applyEdits(t, fix.edits);
      expect(fixed).not.toBe(t);
      expect(findingsOf(fixed, rule)).toEqual([]);
    });
  }
});

describe('wording rules: code and suppression', () => {
  it('ignores inline code and code blocks, and honours a disable comment by alias', () => {
    const inCode = doc('LGWAN接続系の設定は `必要な通信だけを許可` とする。', '```\n公式アカウントのパスワードは担当者間で共有する。\nオンラインストレージの業務での利用を禁止する。\n```', 'ファイアウォールでは `MACアドレス` で通信先を限定する。');
    for (const r of WORDING_RULES) expect(findingsOf(inCode, r.meta.id), r.meta.id).toEqual([]);
    expect(findingsOf(doc('ファイアウォールでは MACアドレス で通信先を限定する。'), 'mac-address-filtering')).toHaveLength(1);
    expect(findingsOf(doc('外部委託先の管理は別に定める。'), 'outsourcing-term')).toHaveLength(1);
    const suppressed = doc('<!-- lgpolicy-disable-next-line LGP208 -->\n外部委託先の管理は別に定める。');
    expect(findingsOf(suppressed, 'outsourcing-term')).toEqual([]);
  });
});

describe('wording rules stay quiet on a well-written policy', () => {
  it('reports nothing from the wording family', () => {
    const text = doc(
      '## 3. 情報システム全体の強靱性の向上',
      '(1) マイナンバー利用事務系は、他の領域と通信できないようにしなければならない。ただし、安全が確保された外部接続先との特定通信はこの限りでない。',
      '(2) LGWAN接続系とインターネット接続系の間は通信経路を分割し、安全が確保された通信のうち必要なものだけを許可する。',
      '## 6. 技術的セキュリティ',
      '(14) 庁内の端末から迷惑メールが大量に送り出されているときは、メールサーバを止めて原因を調べる。受信する迷惑メールはフィルタで隔離する。',
      '(15) 職員等は、組織が利用を承認したものを除き、ウェブメール及びオンラインストレージを使用してはならない。',
      '(16) 機密性2以上の情報を送るときは、承認されたファイル共有の仕組みを使い、パスワードは電話など電子メール以外の手段で伝える。',
      '(21) 機密性2以上の情報を取り扱うWeb会議では、E2E暗号化を使い、録画機能や文字起こし機能は使用しない。',
      '(22) 公式アカウントの投稿では短縮URLを使用しない。パスワードは担当者を限定して管理し、異動時に変更する。',
      '## 8. 業務委託と外部サービスの利用',
      '8.1 情報セキュリティ管理者は、委託事業者を選定するときは、委託先の情報セキュリティ対策を確認しなければならない。',
      '8.2 情報システム管理者は、機器を廃棄又はリース返却等する場合は、記憶装置のデータを復元できないよう消去しなければならない。',
    );
    const all = WORDING_RULES.flatMap((r) => findingsOf(text, r.meta.id));
    expect(all.map((f) => `${f.ruleId}: ${text.slice(f.span.start, f.span.end)}`)).toEqual([]);
  });
});

describe('wording rules: the one-shot pattern gate (mayMatchClauses)', () => {
  // A pattern absent from the document's text is absent from every clause only while each clause's
  // text is the document's text at its span: the model must keep it so.
  it('each clause is the text at its span', () => {
    const texts = [
      ...['test/fixtures/conformance', 'examples'].flatMap((dir) => fs.readdirSync(dir).filter((f) => f.endsWith('.md')).map((f) => fs.readFileSync(path.join(dir, f), 'utf8'))),
      doc('第1条　職員は、パスワードを共有してはならない。ただし、\r\n管理者が認める場合はこの限りでない。', '> 引用の中の「本市」の文。', '1. 項目の一\n   続きの行。\n2. 項目の二', '| 用語 | 意味 |\n| --- | --- |\n| SLA | サービス品質保証 |', '見出し\n======', '（目的）\n第2条　この規程は、`code` を含む。'),
    ];
    for (const text of texts) {
      const { doc: model } = analyze(text, {});
      for (const c of model.clauses) expect(c.text).toBe(text.slice(c.span.start, c.span.end));
    }
  });

  it('finds the same as the clause loop whether or not a Memo is kept', () => {
    const text = doc('## 1. 運用', '公式アカウントのパスワードは担当者間で共有する。', '境界に置くファイアウォールでは、宛先のポート番号、IPアドレス、MACアドレスを条件に通信先を絞り込む。',
      '### ソーシャルメディアサービスの運用', '投稿に載せるリンクは、文字数を抑えるため短縮URLを用いる。', '② 情報システム管理者は、迷惑メールの受信又は送信が急増したことを検知したときは、メールサーバの運用を停止する。');
    for (const rule of ['shared-or-fixed-password', 'mac-address-filtering', 'url-shortener', 'spam-stops-mail-server']) {
      expect(findingsOf(text, rule).length, rule).toBeGreaterThan(0);
      expect(findingsOf(text, rule, { memo: new Memo(true) }), rule).toEqual(findingsOf(text, rule));
    }
  });
});

/**
 * Random insertions of `parts` and short deletions after the policy head, each analysed with a
 * retained memo (the language server) and afresh: the rule's findings must be the same.
 */
function typeAndErase(rule: string, start: string, parts: string[], o: { edits: number; seed: number; insert: number; maxDelete: number }) {
  const memo = new Memo(true);
  let text = start;
  let seed = o.seed;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < o.edits; i++) {
    const at = POLICY_HEAD.length + Math.floor(rand() * (text.length - POLICY_HEAD.length + 1));
    text = rand() < o.insert ? text.slice(0, at) + parts[Math.floor(rand() * parts.length)] + text.slice(at) : text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * o.maxDelete));
    expect(findingsOf(text, rule, { memo }), `edit ${i}`).toEqual(findingsOf(text, rule));
  }
}
