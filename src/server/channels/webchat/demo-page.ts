// The demo shop: a small store front that embeds the widget exactly as a merchant would, so
// a new user can chat as a customer and answer in the agent app. English or Portuguese
// (?lang=pt-BR), which also switches the widget's language through the page's `lang`.

import { widgetSnippet } from './webchat-config.js';

export interface DemoPageInput {
  channelId: string | null;
  lang: string;
  publicUrl: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const copy = {
  en: {
    banner: 'Demo store. Chat as a customer with the bubble at the bottom right, then answer from the',
    agentApp: 'agent app',
    nav: ['Coffee', 'Equipment', 'Subscriptions', 'Help'],
    heroTitle: 'Small-batch coffee, roasted on Mondays.',
    heroText:
      'Free shipping over $40. Questions about an order? Send us a photo of the label and we will sort it out.',
    shop: 'Shop the roast',
    products: [
      ['Morning Ridge', 'Ethiopia · washed · citrus, jasmine', '$18'],
      ['Dark Harbour', 'Brazil · natural · cocoa, molasses', '$16'],
      ['Cloud Forest', 'Colombia · honey · red apple, caramel', '$19'],
    ],
    add: 'Add to cart',
    embedTitle: 'Put this chat on your own site',
    embedText: "Paste one line before </body>; add your site to the channel's allowed origins.",
    missing:
      'No webchat channel exists yet. Create one in the agent app (Settings → Channels → Webchat), then reload.',
    footer: 'Lumen Coffee Co. is a made-up shop that shows the Switchboard webchat.',
  },
  'pt-BR': {
    banner:
      'Loja de demonstração. Converse como cliente pelo balão no canto inferior direito e responda pelo',
    agentApp: 'app dos agentes',
    nav: ['Cafés', 'Equipamentos', 'Assinaturas', 'Ajuda'],
    heroTitle: 'Café de pequenos lotes, torrado às segundas.',
    heroText:
      'Frete grátis acima de R$ 200. Dúvidas sobre um pedido? Mande uma foto da etiqueta e a gente resolve.',
    shop: 'Ver os cafés',
    products: [
      ['Morning Ridge', 'Etiópia · lavado · cítrico, jasmim', 'R$ 89'],
      ['Dark Harbour', 'Brasil · natural · cacau, melaço', 'R$ 79'],
      ['Cloud Forest', 'Colômbia · honey · maçã, caramelo', 'R$ 94'],
    ],
    add: 'Adicionar',
    embedTitle: 'Coloque este chat no seu site',
    embedText: 'Cole uma linha antes de </body>; inclua seu site nas origens permitidas do canal.',
    missing: 'Ainda não existe um canal de webchat. Crie um no app dos agentes e recarregue.',
    footer: 'A Lumen Coffee Co. é uma loja fictícia que mostra o webchat do Switchboard.',
  },
} as const;

const artwork = [
  'linear-gradient(135deg,#f6d365 0%,#fda085 100%)',
  'linear-gradient(135deg,#3a1c0f 0%,#8b5a2b 100%)',
  'linear-gradient(135deg,#84fab0 0%,#2f855a 100%)',
];

export function renderDemoPage(input: DemoPageInput): string {
  const text = input.lang.toLowerCase().startsWith('pt') ? copy['pt-BR'] : copy.en;
  const snippet = input.channelId ? widgetSnippet(input.publicUrl, input.channelId) : '';
  const products = text.products
    .map(
      ([name, notes, price], index) => `
        <article class="product">
          <div class="art" style="background:${artwork[index]}"><span>${escapeHtml(name.split(' ')[0] ?? '')}</span></div>
          <h3>${escapeHtml(name)}</h3>
          <p>${escapeHtml(notes)}</p>
          <div class="buy"><strong>${escapeHtml(price)}</strong><button type="button">${escapeHtml(text.add)}</button></div>
        </article>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${escapeHtml(input.lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Lumen Coffee Co.</title>
<style>
  * { box-sizing: border-box; }
  body { margin: 0; font-family: Georgia, 'Times New Roman', serif; color: #2b2118; background: #fbf7f1; line-height: 1.6; }
  button { font: inherit; text-transform: uppercase; letter-spacing: .12em; border: 2px solid #2b2118; background: transparent; padding: 6px 14px; cursor: pointer; }
  .banner { background: #2b2118; color: #fbf7f1; font: 14px/1.4 system-ui, sans-serif; padding: 10px 24px; text-align: center; }
  .banner a { color: #ffd08a; }
  header { display: flex; align-items: center; justify-content: space-between; padding: 22px 48px; border-bottom: 1px solid #eadfce; }
  .logo { font-size: 24px; font-weight: bold; letter-spacing: .04em; }
  nav a { margin-left: 28px; color: inherit; text-decoration: none; font-size: 15px; }
  nav .lang { font: 12px system-ui, sans-serif; border: 1px solid #cdbfa9; padding: 3px 8px; border-radius: 999px; }
  .hero { padding: 72px 48px 48px; max-width: 760px; }
  .hero h1 { font-size: 46px; line-height: 1.1; margin: 0 0 18px; }
  .hero p { font-size: 19px; color: #5b4a3a; }
  .products { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 28px; padding: 8px 48px 56px; }
  .product { background: #fff; border: 1px solid #eadfce; padding: 16px; }
  .art { height: 170px; display: flex; align-items: flex-end; padding: 12px; color: rgba(255,255,255,.92); font-size: 28px; font-style: italic; }
  .product h3 { margin: 14px 0 2px; font-size: 20px; }
  .product p { margin: 0 0 14px; color: #7a6652; font-size: 15px; }
  .buy { display: flex; align-items: center; justify-content: space-between; }
  .embed { margin: 0 48px 56px; padding: 24px; background: #f3ebdf; border: 1px dashed #cdbfa9; }
  .embed h2 { margin: 0 0 6px; font-size: 20px; }
  .embed code { display: block; margin-top: 10px; padding: 12px; background: #2b2118; color: #ffd08a; font: 13px/1.5 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
  footer { padding: 24px 48px 96px; color: #8a7762; font-size: 14px; border-top: 1px solid #eadfce; }
  @media (max-width: 640px) {
    header { padding: 16px 20px; }
    .logo { font-size: 20px; }
    nav a:not(.lang) { display: none; }
    .hero { padding: 36px 20px 28px; }
    .hero h1 { font-size: 32px; }
    .products { padding: 8px 20px 40px; gap: 20px; }
    .embed { margin: 0 20px 40px; }
    footer { padding: 24px 20px 96px; }
  }
</style>
</head>
<body>
<div class="banner">${escapeHtml(text.banner)} <a href="/">${escapeHtml(text.agentApp)}</a>.</div>
<header>
  <div class="logo">Lumen Coffee Co.</div>
  <nav>${text.nav.map((item) => `<a href="#">${escapeHtml(item)}</a>`).join('')}
    <a class="lang" href="?lang=${text === copy.en ? 'pt-BR' : 'en'}">${text === copy.en ? 'Português' : 'English'}</a>
  </nav>
</header>
<section class="hero">
  <h1>${escapeHtml(text.heroTitle)}</h1>
  <p>${escapeHtml(text.heroText)}</p>
  <button type="button">${escapeHtml(text.shop)}</button>
</section>
<section class="products">${products}
</section>
<section class="embed">
  <h2>${escapeHtml(text.embedTitle)}</h2>
  <div>${escapeHtml(text.embedText)}</div>
  ${input.channelId ? `<code>${escapeHtml(snippet)}</code>` : `<p><strong>${escapeHtml(text.missing)}</strong></p>`}
</section>
<footer>${escapeHtml(text.footer)}</footer>
${input.channelId ? `<script src="/widget.js" data-channel="${escapeHtml(input.channelId)}" async></script>` : ''}
</body>
</html>
`;
}
